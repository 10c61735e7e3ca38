"""Password hashing (argon2id) and the slow-down after failed sign-ins."""

from __future__ import annotations

import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from flowbench.domain.errors import InvalidInput

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
FREE_ATTEMPTS = 3
MAX_LOCK_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 8


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lock_seconds(failed_attempts: int) -> int:
    """How long to refuse sign-ins after ``failed_attempts`` failures in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_LOCK_SECONDS, 2 ** (failed_attempts - FREE_ATTEMPTS) * 5))


def seconds_until_allowed(failed_attempts: int, last_failed_at: datetime.datetime | None,
                          now: datetime.datetime) -> int:
    if last_failed_at is None:
        return 0
    wait = lock_seconds(failed_attempts)
    elapsed = (now - last_failed_at).total_seconds()
    return max(0, int(wait - elapsed + 0.999))
