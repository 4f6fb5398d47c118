"""The export as a download, with flat memory: the document is written a record at a time to a
spooled file (in memory while small, on disk beyond), then sent from that file a line at a time,
the references to records that came later in the document filled in as it goes. The text is the
same as ``json.dumps(export_trajectory(...), ensure_ascii=False, indent=2)``."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from tracker.models import Trajectory
from tracker.transfer.export import Lazy, Pending, lazy_trajectory

IN_MEMORY = 1024 * 1024  # bytes of the document kept in memory before it goes to disk
INDENT = "  "
# A mark for a reference filled in afterwards: raw NUL bytes, which JSON text never holds.
_MARK = re.compile("\x00(\\d+)\x00")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def write_json(out: Callable[[str], Any], value: Any, level: int = 0) -> None:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, a part at a
    time; :class:`Lazy` lists are generated as they are written, :class:`Pending` becomes a mark."""
    pad = INDENT * level
    if isinstance(value, Pending):
        out(f"\x00{value.number}\x00")
    elif isinstance(value, dict) and value:
        out("{")
        for position, (key, item) in enumerate(value.items()):
            out(("\n" if position == 0 else ",\n") + pad + INDENT + _dumps(key) + ": ")
            write_json(out, item, level + 1)
        out("\n" + pad + "}")
    elif isinstance(value, (list, Lazy)):
        empty = True
        for item in value:
            out(("[\n" if empty else ",\n") + pad + INDENT)
            write_json(out, item, level + 1)
            empty = False
        out("[]" if empty else "\n" + pad + "]")
    else:
        out(_dumps(value))


def _filled(line: str, resolve: Callable[[int], Any]) -> str:
    """The line with its marks replaced by their values, indented as json.dumps would."""
    pad = line[: len(line) - len(line.lstrip(" "))]
    return _MARK.sub(lambda m: _dumps(resolve(int(m.group(1)))).replace("\n", "\n" + pad), line)


def _lines(spool: IO[str], resolve: Callable[[int], Any]) -> Iterator[bytes]:
    with spool:
        spool.seek(0)
        for line in spool:
            yield (_filled(line, resolve) if "\x00" in line else line).encode("utf-8")


def stream_trajectory(trajectory: Trajectory, *, open_round_ballots: bool = False) -> Iterator[bytes]:
    """The export's JSON text as UTF-8 chunks. The database is read before this returns; the
    chunks come from the spooled file."""
    document, resolve = lazy_trajectory(trajectory, open_round_ballots=open_round_ballots)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY, mode="w+", encoding="utf-8", newline="\n")
    write_json(spool.write, document)
    return _lines(spool, resolve)


__all__ = ["stream_trajectory", "write_json"]
