"""Short stable names derived from text (a settings key per workspace, the one-instance
socket's name): the first 16 hex digits of SHA-1. Qt's hash, not ``hashlib``: these are
made on the way to the first window, where loading OpenSSL's bindings cost ~2 ms; the
digits are the same."""

from __future__ import annotations

from PySide6.QtCore import QCryptographicHash


def short_digest(text: str) -> str:
    digest = QCryptographicHash.hash(text.encode("utf-8"), QCryptographicHash.Algorithm.Sha1)
    return bytes(digest.toHex().data()).decode("ascii")[:16]
