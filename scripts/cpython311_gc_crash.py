#!/usr/bin/env python
"""The CPython 3.11 bug behind the gunicorn worker crashes (issue 16, part 7), on its own.

When CPython 3.11 turns an object's inline attributes into a real ``__dict__``, allocating that
dict can start an automatic collection. If the collector then runs a weakref callback that adds an
attribute to the same object (as SQLAlchemy's ``InstanceState._cleanup`` does), the callback frees
the attribute values the interrupted code still uses. Run with ``PYTHONMALLOC=debug`` to see it at
once: a segmentation fault on 3.11.2 and 3.11.7, "survived" on 3.12 and 3.13. With ``--guarded``
automatic collection is off while the attribute is set (what tracker/gcguard.py does per request)
and it survives on 3.11 too.

    PYTHONMALLOC=debug python scripts/cpython311_gc_crash.py [--guarded]
"""

from __future__ import annotations

import gc
import sys
import weakref


class State:
    def _cleanup(self, _ref: weakref.ref) -> None:
        self.set_by_callback = None  # a key the class's shared keys do not have yet


class Node:
    cycle: Node


def main(guarded: bool) -> int:
    for round_ in range(200):
        gc.disable()
        state = State()
        for i in range(20):
            setattr(state, f"a{i}", i)
        node = Node()
        node.cycle = node  # garbage only the collector frees, which runs the callback
        state.ref = weakref.ref(node, state._cleanup)  # type: ignore[attr-defined]
        del node
        junk: list[list[int]] = [[] for _ in range(1000)]  # the young generation past its threshold
        del junk
        if not guarded:
            gc.enable()
        setattr(state, f"new_{round_}", 1)  # a new key: the instance dict is made here
        gc.enable()
    print("survived")
    return 0


if __name__ == "__main__":
    sys.exit(main("--guarded" in sys.argv[1:]))
