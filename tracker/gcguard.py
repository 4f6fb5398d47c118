"""No automatic garbage collection while a request runs (a work-around for a CPython 3.11 bug).

CPython 3.11 keeps an object's attributes in an inline values array until it needs a real
``__dict__``; it then allocates that dict (``make_dict_from_instance_attributes``). When that
allocation starts an automatic collection, the collector runs weakref callbacks, and
SQLAlchemy's ``InstanceState._cleanup`` callback deletes and sets attributes on the very state
object whose dict is being made. That frees the values array the interrupted code is still
using: the heap is corrupted, and the process dies later with SIGSEGV somewhere else, often
"Garbage-collecting" (valgrind shows the read after free in ``dictresize``/``free_values``; see
README, Benchmark). It shows under load with large result sets, because only then does a
collection land in that window.

The collector runs only when an allocation is counted while collection is enabled. So this
middleware switches automatic collection off for the duration of a request (including the
streaming of its body) and back on when the last request in the process has finished; the
pending collection then runs outside any SQLAlchemy attribute operation. Cycles a request makes
are collected after it instead of during it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class NoCollectionDuringRequests:
    """WSGI middleware: automatic garbage collection is off while any request is in flight."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._in_flight = 0
        self._was_enabled = True

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self._enter()
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._leave()
            raise
        return _Closing(body, self._leave)

    def _enter(self) -> None:
        with self._lock:
            if self._in_flight == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._in_flight += 1

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._in_flight == 0 and self._was_enabled:
                gc.enable()


class _Closing:
    """The response body, with ``close`` (which every WSGI server calls) ending the request."""

    def __init__(self, body: Iterable[bytes], done: Callable[[], None]) -> None:
        self.body = body
        self.done: Callable[[], None] | None = done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        done, self.done = self.done, None  # a second close must not end the request twice
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            if done is not None:
                done()
