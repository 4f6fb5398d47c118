"""Automatic garbage collection is off while a request runs and back on after it (tracker/gcguard.py:
the work-around for the CPython 3.11 heap corruption that killed gunicorn workers under load)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.gcguard import NoCollectionDuringRequests


def _app(seen):
    def app(environ, start_response):
        seen.append(("call", gc.isenabled()))
        if environ.get("PATH_INFO") == "/boom":
            raise RuntimeError("boom")
        start_response("200 OK", [("Content-Type", "text/plain")])

        def body():
            seen.append(("body", gc.isenabled()))
            yield b"ok"

        return body()

    return app


@pytest.fixture
def collecting():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_no_collection_while_the_request_and_its_body_run(collecting):
    seen: list[tuple[str, bool]] = []
    guarded = NoCollectionDuringRequests(_app(seen))
    response = guarded({"PATH_INFO": "/"}, lambda *args: None)
    assert b"".join(response) == b"ok"
    assert gc.isenabled() is False
    response.close()  # type: ignore[attr-defined]
    assert seen == [("call", False), ("body", False)]
    assert gc.isenabled() is True


def test_collection_back_on_after_a_failing_request(collecting):
    guarded = NoCollectionDuringRequests(_app([]))
    with pytest.raises(RuntimeError):
        guarded({"PATH_INFO": "/boom"}, lambda *args: None)
    assert gc.isenabled() is True


def test_overlapping_requests_turn_it_back_on_when_the_last_ends(collecting):
    guarded = NoCollectionDuringRequests(_app([]))
    first = guarded({"PATH_INFO": "/"}, lambda *args: None)
    second = guarded({"PATH_INFO": "/"}, lambda *args: None)
    first.close()  # type: ignore[attr-defined]
    assert gc.isenabled() is False
    second.close()  # type: ignore[attr-defined]
    assert gc.isenabled() is True


def test_a_second_close_does_not_end_another_request(collecting):
    guarded = NoCollectionDuringRequests(_app([]))
    first = guarded({"PATH_INFO": "/"}, lambda *args: None)
    second = guarded({"PATH_INFO": "/"}, lambda *args: None)
    first.close()  # type: ignore[attr-defined]
    first.close()  # type: ignore[attr-defined]
    assert gc.isenabled() is False  # the second request still runs
    second.close()  # type: ignore[attr-defined]
    assert gc.isenabled() is True


def test_left_off_when_it_was_off_before(collecting):
    gc.disable()
    guarded = NoCollectionDuringRequests(_app([]))
    guarded({"PATH_INFO": "/"}, lambda *args: None).close()  # type: ignore[attr-defined]
    assert gc.isenabled() is False


def _run_reproducer(*args: str) -> int:
    script = Path(__file__).resolve().parents[1] / "scripts" / "cpython311_gc_crash.py"
    env = {**os.environ, "PYTHONMALLOC": "debug", "PYTHONFAULTHANDLER": "0"}
    return subprocess.run(
        [sys.executable, str(script), *args], env=env, capture_output=True, timeout=120
    ).returncode


def test_the_interpreter_bug_does_not_happen_with_collection_off():
    """The reproducer of the crash survives when no collection can start while the attribute is set
    (and crashes on CPython 3.11 without that, which is why the middleware exists)."""
    assert _run_reproducer("--guarded") == 0
    if sys.version_info < (3, 12):
        assert _run_reproducer() != 0
