"""The store of the page cache (``tracker/pagecache.py``): one process's rendered pages, least
recently used first out, bounded by their bytes, all of one data version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Protocol, TypeVar


class Sized(Protocol):
    size: int


P = TypeVar("P", bound=Sized)


class PageCache(Generic[P]):
    """A least-recently-used store bounded by the bytes of its pages, for one data version."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: int | None = None
        self.bytes = 0
        self._pages: OrderedDict[tuple, P] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: tuple, version: int) -> P | None:
        with self._lock:
            if version != self.version:  # the data changed: nothing held can be served again
                self._pages.clear()
                self.bytes = 0
                self.version = version
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, version: int, page: P) -> None:
        if page.size > self.max_bytes // 4:
            return
        with self._lock:
            if version != self.version or key in self._pages:
                return
            self._pages[key] = page
            self.bytes += page.size
            while self.bytes > self.max_bytes:
                _, old = self._pages.popitem(last=False)
                self.bytes -= old.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.bytes = 0
            self.version = None
