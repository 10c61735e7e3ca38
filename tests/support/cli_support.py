"""Shared by the command-line tests (tests/cli, tests/runtime): argon2 results remembered
for the session, one command's outcome, and what a clean refusal looks like."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from flowbench.services import passwords

_HASHES: dict[str, str] = {}
_VERIFIED: dict[tuple[str, str], bool] = {}
_REAL_HASH, _REAL_VERIFY = passwords.hash_password, passwords.verify_password


def _remembered_hash(password: str) -> str:
    if password not in _HASHES:
        _HASHES[password] = _REAL_HASH(password)
    return _HASHES[password]


def _remembered_verify(stored_hash: str, password: str) -> bool:
    key = (stored_hash, password)
    if key not in _VERIFIED:
        _VERIFIED[key] = _REAL_VERIFY(stored_hash, password)
    return _VERIFIED[key]


def remember_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 costs ~0.1–0.5 s a call: remember real results for the whole session.

    A salted hash made once stays valid for every member given that password, and a
    verification's answer never changes, so this only skips repeated work.
    """
    monkeypatch.setattr(passwords, "hash_password", _remembered_hash)
    monkeypatch.setattr(passwords, "verify_password", _remembered_verify)


@dataclass(frozen=True)
class Outcome:
    """What one command did: its exit code and what it printed."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def assert_refused(outcome: Outcome, *fragments: str) -> None:
    """Exit code 1 and exactly one line on stderr, naming each fragment, no traceback."""
    assert outcome.code == 1, outcome
    lines = outcome.err.strip().splitlines()
    assert len(lines) == 1, outcome.err
    assert lines[0].startswith("flowbench: ")
    assert "Traceback" not in outcome.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
