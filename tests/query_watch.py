"""Which query parameters a request looked at, and whether it changed anything.

``tests/test_query_params.py`` sends every GET route every query parameter the code reads, one at
a time. A request that never looked at a parameter (no ``request.args`` lookup of that name, no
look at the whole query string) and that changed nothing is handled exactly as the same request
without it: the handling is the same step for step, since nothing in it can tell them apart. So
the answer to ``{name: value}`` is known from the request without parameters, as long as nothing
changed in between (no write to the database, no cookie but the session's "seen at" time).

Every way into the query string is watched: ``request.args`` (a name, or the whole mapping),
``request.values`` (through ``args``), ``request.query_string`` and what is built from it
(``request.url``, ``request.full_path``), and the router's redirect (``RequestRedirect``, which
copies the query string into its target). Nothing in ``tracker/`` or the Flask extensions it uses
reads ``QUERY_STRING`` from the WSGI environment directly (``grep -rn QUERY_STRING``).
Anything the watch cannot name counts as a look at every parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import RequestRedirect

from tracker.extensions import db


class Watch:
    """What the requests since ``reset`` looked at and changed."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.names: set[str] = set()
        self.everything = False
        self.writes = 0

    def saw(self, name: object) -> None:
        if isinstance(name, str):
            self.names.add(name)
        else:
            self.everything = True

    def read(self, name: str) -> bool:
        return self.everything or name in self.names


WATCH = Watch()

# The lookups of one named parameter; any other public attribute of the mapping reads it whole.
_KEYED = {"get", "getlist"}


class _WatchedArgs(ImmutableMultiDict):
    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in _KEYED:
            WATCH.everything = True
        return super().__getattribute__(name)

    def get(self, key, default=None, type=None):  # type: ignore[override]
        WATCH.saw(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # type: ignore[override]
        WATCH.saw(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        WATCH.saw(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        WATCH.saw(key)
        return super().__contains__(key)


def _reads_everything(method: str):
    def whole(self, *args, **kwargs):
        WATCH.everything = True
        return getattr(ImmutableMultiDict, method)(self, *args, **kwargs)

    return whole


for _method in (
    "__iter__",
    "__len__",
    "__eq__",
    "__ne__",
    "__repr__",
    "__str__",
    "__reduce_ex__",
    "__copy__",
    "__deepcopy__",
    "__or__",
    "__ror__",
    "__hash__",
    "__getstate__",
    "__format__",
    "__sizeof__",
    "__reversed__",
):
    if hasattr(ImmutableMultiDict, _method):
        setattr(_WatchedArgs, _method, _reads_everything(_method))


def _watched_request_class(base: type) -> type:
    class WatchedRequest(base):  # type: ignore[misc, valid-type]
        @property
        def query_string(self) -> bytes:
            WATCH.everything = True
            return self.__dict__["_query_string"]

        @query_string.setter
        def query_string(self, value: bytes) -> None:
            self.__dict__["_query_string"] = value

        @property
        def args(self) -> _WatchedArgs:
            if "_args" not in self.__dict__:
                plain = base.args.fget(_Unwatched(self))  # type: ignore[attr-defined]
                self.__dict__["_args"] = _WatchedArgs(plain)
            return self.__dict__["_args"]

        @property
        def routing_exception(self) -> Exception | None:
            return self.__dict__.get("_routing_exception")

        @routing_exception.setter
        def routing_exception(self, value: Exception | None) -> None:
            if isinstance(value, RequestRedirect):  # its target carries the query string
                WATCH.everything = True
            self.__dict__["_routing_exception"] = value

    return WatchedRequest


class _Unwatched:
    """The request as ``args`` builds itself from it, without counting that as a look."""

    def __init__(self, request) -> None:
        self.query_string = request.__dict__["_query_string"]
        self.parameter_storage_class = ImmutableMultiDict


_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW")


def _note_write(_conn, _cursor, statement: str, *_args) -> None:
    if not statement.lstrip()[:9].upper().startswith(_READS):
        WATCH.writes += 1


@contextmanager
def watching(app) -> Iterator[Watch]:
    """The app's requests watched (its request class swapped for the time being)."""
    original = app.request_class
    app.request_class = _watched_request_class(original)
    engine = None
    if "sqlalchemy" in app.extensions:
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", _note_write)
    try:
        yield WATCH
    finally:
        if engine is not None:
            sa.event.remove(engine, "before_cursor_execute", _note_write)
        app.request_class = original


def client_state(app, client) -> tuple:
    """The client's cookies, with the session's contents decoded and its "seen at" time left out
    (every signed-in request moves it; nothing in a few seconds depends on it)."""
    state = []
    serializer = app.session_interface.get_signing_serializer(app)
    for key, cookie in sorted(client._cookies.items()):
        value: Any = cookie.value
        if cookie.key == app.config["SESSION_COOKIE_NAME"]:
            value = {k: v for k, v in serializer.loads(value).items() if k != "seen_at"}
            value = sorted((k, repr(v)) for k, v in value.items())
        state.append((key, repr(value)))
    return tuple(state)
