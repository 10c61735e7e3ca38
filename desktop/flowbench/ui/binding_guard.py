"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

PySide6 6.12 returns ``None`` from every void method (``setText``, ``setEnabled``…) and
passes ``True``/``False`` to signal handlers without taking a reference, as if they
were immortal — which they are only from Python 3.12 on. On 3.11 each such call
drops their reference count by one, and after a few thousand calls the interpreter
aborts with "Fatal Python error: none_dealloc" (a 500-step flow opened twice is
enough). Python 3.12 made these objects immortal by giving them a huge count; this
does the same on older versions. Call it once before any Qt work (idempotent).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # far more calls than any process will ever make
_applied = False


def keep_singletons_alive() -> None:
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # CPython: id() is the object's address; its first field is the reference count
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied = True
