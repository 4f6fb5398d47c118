"""Enumerations that carry their own user-facing label, declared next to each member."""

from __future__ import annotations

import enum
from typing import Any


class LabeledEnum(enum.StrEnum):
    """A string enum whose members are declared as ``MEMBER = "stored value", _l("Label")``.

    The stored value stays the plain string (the database and URLs never see the label); the
    label is a lazy gettext string, translated when it is read. Members of different types may
    share a value ("deels", "ja"): each keeps its own label, since the label lives on the member.
    """

    _label: Any

    def __new__(cls, value: str, label: Any = None) -> LabeledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = value if label is None else label
        return member

    @property
    def label(self) -> str:
        """The label in the current locale."""
        return str(self._label)

    @property
    def lazy_label(self) -> Any:
        """The label as a lazy string, for choices built at import time (forms)."""
        return self._label
