"""Database states built once per test worker (and per day) and restored for every test that asks.

Building the ``world`` of tests/fixtures_world.py takes ~0.15 s and loading the demo through the import
~0.5 s; restoring a copy of the database they left takes a millisecond or two. On SQLite the copy
is made and put back with SQLite's own backup API (an in-memory copy of the test database), the
files the builder wrote to the upload folder are copied along, and the objects it returned are
looked up again by primary key in the test's session. Each test therefore still starts from
exactly the state a fresh build gives (same rows, same ids, same files), only sooner.

A state may also build on another one (``url_args`` adds invitations, a reset link and session
items to the ``world``): its copy holds both and is used only when the database holds exactly the
state it builds on, built or restored with nothing written since; the objects the test already
has from that state stay in its session and are read again from the copy.

A state is built afresh, and not kept, when the test has already written to the database before
asking for it (the copy would wipe that out), when the day has changed (the states' dates are
relative to today), and on PostgreSQL, where every test builds it as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from tracker.extensions import db

T = TypeVar("T")


class Numbers:
    """The running number a factory gives what it makes (``user3@example.org``, "Organisatie 2"),
    so a restored state can carry on where its build stopped."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


# --- has the test written to the database yet? ----------------------------------------------------

_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW")


class _Writes:
    """Whether any statement other than a read went to the database since it was last emptied, and
    which state the database holds exactly (built or restored, nothing written since), if any."""

    since_clear = True
    state: str | None = None


def watch_writes(engine: sa.Engine) -> None:
    """Note every writing statement on ``engine`` (a cheap prefix test per statement)."""
    if not sa.event.contains(engine, "before_cursor_execute", _note_write):
        sa.event.listen(engine, "before_cursor_execute", _note_write)


def _note_write(_conn, _cursor, statement: str, *_args) -> None:
    if not statement.lstrip()[:9].upper().startswith(_READS):
        _Writes.since_clear = True
        _Writes.state = None


def cleared() -> None:
    """The database has just been emptied: nothing written since."""
    _Writes.since_clear = False
    _Writes.state = None


# --- the states ---------------------------------------------------------------------------------


@dataclass
class _State:
    day: date
    copy: sqlite3.Connection
    uploads: dict[str, bytes]
    refs: Any
    numbers: list[int]


_STATES: dict[str, _State] = {}


def build_once(
    name: str,
    upload_folder: str,
    build: Callable[[], T],
    numbers: Sequence[Numbers] = (),
    on: str | None = None,
) -> T:
    """What ``build()`` makes (committed), built on the worker's first call of the day and restored
    from a copy on the later ones. ``numbers`` are the factories' counters ``build`` advances.

    ``on`` names the state ``build`` adds to (``None``: the empty database). The copy is used only
    when the database holds exactly that state; the objects the test already has from it stay in
    its session and are read again from the restored copy (same rows, same ids)."""
    starts_right = not _Writes.since_clear if on is None else _Writes.state == on
    if db.engine.dialect.name != "sqlite" or not starts_right:
        value = build()
        db.session.commit()
        return value
    state = _STATES.get(name)
    if state is not None and state.day == date.today():
        _restore(state, Path(upload_folder), keep_session=on is not None)
        for counter, last in zip(numbers, state.numbers, strict=True):
            counter.last = last
        _Writes.state = name
        return _load(state.refs)
    value = build()
    db.session.commit()
    _STATES[name] = _save(value, Path(upload_folder), [n.last for n in numbers])
    _Writes.state = name
    return value


def _save(value: Any, uploads: Path, numbers: list[int]) -> _State:
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    with db.engine.connect() as connection:
        connection.connection.driver_connection.backup(copy)  # type: ignore[union-attr]
    files = {str(p.relative_to(uploads)): p.read_bytes() for p in uploads.rglob("*") if p.is_file()}
    return _State(date.today(), copy, files, _refs(value), numbers)


def _restore(state: _State, uploads: Path, keep_session: bool = False) -> None:
    if keep_session:
        db.session.commit()  # nothing to write: ends its transaction and expires what it holds
    else:
        db.session.remove()
    with db.engine.connect() as connection:
        state.copy.backup(connection.connection.driver_connection)  # type: ignore[arg-type]
    for relative, data in state.uploads.items():
        target = uploads / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    _Writes.since_clear = True


def _refs(value: Any) -> Any:
    """``value`` with every mapped object replaced by (its class, its primary key)."""
    if isinstance(value, dict):
        return {key: _refs(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_refs(item) for item in value]
    if value is None or not hasattr(type(value), "__mapper__"):
        return ("value", value)
    return ("object", type(value), sa.inspect(value).identity)


def _load(refs: Any) -> Any:
    if isinstance(refs, dict):
        return {key: _load(item) for key, item in refs.items()}
    if isinstance(refs, list):
        return [_load(item) for item in refs]
    if refs[0] == "value":
        return refs[1]
    return db.session.get(refs[1], refs[2])
