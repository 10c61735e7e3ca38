"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

PySide6 6.12 returns ``None`` from every void method (``setText``, ``setEnabled``…) and
passes ``True``/``False`` to signal handlers without taking a reference, as if they
were immortal — which they are only from Python 3.12 on. On 3.11 each such call
drops their reference count by one, and after a few thousand calls the interpreter
aborts with "Fatal Python error: none_dealloc" (a 500-step flow opened twice is
enough). Python 3.12 made these objects immortal by giving them a huge count; this
does the same on older versions. Call it early (idempotent): tests and the self-test
before any Qt work; the window's start once its first windows are up — some 150 Qt
calls in, against reference counts of ~5,000 (None) and ~700 (True, False) — so that
importing ``ctypes`` (~1.7 ms) is not on the way to them.

Why it is still here (checked 2026-12-05, reported upstream-style below): 6.12.0 is the
newest release, and it has the bug; 6.11.3 does not (nor 6.10.3). Pinning 6.11.3 would
remove the need too, at the price of staying a release behind; the guard is one line of
arithmetic on two objects and is proven by ``tests/ui/test_binding_guard.py``, which
also fails the day an installed PySide6 no longer needs it, so that it can go then.

Minimal reproduction (Python 3.11.7, PySide6-Essentials 6.12.0, Linux x86-64)::

    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    for _ in range(10000):
        label.setText("x")      # each call: sys.getrefcount(None) drops by one
    # -> Fatal Python error: none_dealloc: deallocating None

Expected: the reference count of ``None`` unchanged after the loop (as with 6.11.3:
5103 -> 5103). Actual: it falls by one per call until ``None`` is deallocated.
"""

from __future__ import annotations

import sys

_HEADROOM = 1 << 40  # far more calls than any process will ever make
_applied = False


def keep_singletons_alive() -> None:
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for singleton in (None, True, False):
        # CPython: id() is the object's address; its first field is the reference count
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _applied = True


def is_applied() -> bool:
    return _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython"
