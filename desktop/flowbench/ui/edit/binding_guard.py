"""Moved to ``flowbench.ui.binding_guard`` (the app applies it before any Qt call)."""

from flowbench.ui.binding_guard import keep_singletons_alive

__all__ = ["keep_singletons_alive"]
