"""One parser for database ids that arrive as text: in query strings, form fields and cookies."""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value) -> int | None:
    """The id in ``value`` (ASCII digits, 1 to 2**31-1), or None for anything else.

    ``str.isdigit()`` accepts "²" and "٣", which ``int()`` refuses or reads, and an unbounded
    number overflows the database's integer column: both were 500s.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def arg_id(args, name: str) -> int | None:
    """The id in query parameter ``name`` of ``args`` (a MultiDict), or None."""
    return parse_id(args.get(name))


__all__ = ["MAX_ID", "arg_id", "parse_id"]
