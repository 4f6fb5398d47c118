"""Paging of the lists that grow with use: one page of a query at a time, with the total.

``paginate(stmt)`` counts the rows of a select, clamps the requested page (``?pagina=N``) into
range and loads that page: two queries, whatever the number of rows. A bad page number (0, -1,
"abc") is page 1 and one beyond the last is the last page, never an error. The order of ``stmt``
must end in a unique column (an id) so no row is shown twice or skipped between pages.
``Page.url(n)`` keeps the rest of the query string (the filters and the sort), so a list's filters
survive paging. The pager itself is the macro in ``templates/_pager.html``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import request

from tracker.extensions import db
from tracker.ids import arg_id

T = TypeVar("T")

PER_PAGE = 50
PAGE_ARG = "pagina"
WINDOW = 2  # page numbers shown either side of the current one


def requested_page(name: str = PAGE_ARG) -> int:
    """The page asked for in the query string: 1 for anything that is not a positive number."""
    if name == PAGE_ARG:
        return arg_id(request.args, "pagina") or 1
    return arg_id(request.args, name) or 1


def count_of(stmt: sa.Select, params: dict[str, Any] | None = None) -> int:
    """The number of rows ``stmt`` returns (with its bound ``params``), counted by the database."""
    counted = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    return int(db.session.scalar(counted, params) or 0)


def clamp(number: int, total: int, per_page: int) -> int:
    """``number`` within 1 and the last page (an empty list has one, empty, page)."""
    pages = max(1, math.ceil(total / per_page))
    return min(max(number, 1), pages)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1), the page size and the list's total."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int
    arg: str = PAGE_ARG
    anchor: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first row in the whole list; 0 when it is empty."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.offset + self.per_page, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def numbers(self) -> list[int | None]:
        """The page numbers to link: the first, the last and a window around the current page;
        None marks a gap."""
        shown = {1, self.pages} | set(range(self.number - WINDOW, self.number + WINDOW + 1))
        result: list[int | None] = []
        for n in sorted(n for n in shown if 1 <= n <= self.pages):
            if result and result[-1] is not None and n > result[-1] + 1:
                result.append(None)
            result.append(n)
        return result

    def url(self, number: int) -> str:
        """This page's URL with page ``number``: the rest of the query string (filters, sort) kept."""
        args: list[tuple[str, Any]] = [(k, v) for k, v in request.args.items(multi=True) if k != self.arg]
        if number > 1:
            args.append((self.arg, number))
        query = urlencode(args)
        url = request.script_root + request.path + (f"?{query}" if query else "")
        return url + (f"#{self.anchor}" if self.anchor else "")


def paginate(
    stmt: sa.Select,
    number: int | None = None,
    *,
    per_page: int = PER_PAGE,
    arg: str = PAGE_ARG,
    anchor: str | None = None,
    scalars: bool = True,
    params: dict[str, Any] | None = None,
) -> Page[Any]:
    """One page of ``stmt`` (ordered, ending in a unique column) and its total, in two queries.
    ``number`` defaults to the page in the query string (``arg``); it is clamped into range.
    With ``scalars=False`` the page holds result rows (for selects of several columns); ``params``
    are the values of the statement's bound parameters, if it has any."""
    total = count_of(stmt, params)
    number = clamp(number if number is not None else requested_page(arg), total, per_page)
    items: Sequence[Any] = []
    if total:
        paged = stmt.limit(per_page).offset((number - 1) * per_page)
        if scalars:
            items = list(db.session.scalars(paged, params).unique())
        else:
            items = list(db.session.execute(paged, params))
    return Page(items, number, per_page, total, arg, anchor)


__all__ = ["PAGE_ARG", "PER_PAGE", "Page", "clamp", "count_of", "paginate", "requested_page"]
