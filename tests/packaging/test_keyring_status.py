"""Which keyring keeps team workspace passwords, as ``--self-test`` and About say it."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QApplication

from flowbench import selftest
from flowbench.services import system_keyring
from flowbench.services.system_keyring import NONE_FOUND, PlatformKeyring, keyring_status


class DeskKeyring(KeyringBackend):
    """Stands in for a desktop's keyring service."""

    priority = 1  # type: ignore[assignment]

    @property
    def name(self) -> str:  # type: ignore[override]
        return "Desk Keyring"

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


@pytest.fixture
def chosen_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_the_keyring_in_use_is_named(chosen_keyring: None) -> None:
    keyring.set_keyring(DeskKeyring())

    status = keyring_status()

    assert status.backend == "Desk Keyring"
    assert status.describe() == "Desk Keyring"


def test_without_a_keyring_it_says_passwords_are_asked_each_time_and_why(
        chosen_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())

    status = keyring_status()

    assert status.backend is None
    assert status.describe().startswith(NONE_FOUND)
    assert status.missing == ()  # this environment has what the backend needs
    if sys.platform.startswith("linux"):
        assert "Secret Service" in status.reason


def test_each_platform_names_its_backend() -> None:
    assert system_keyring.platform_keyring("linux").label == "Secret Service"
    assert system_keyring.platform_keyring("win32").backend_class == "WinVaultKeyring"
    assert system_keyring.platform_keyring("darwin").label == "macOS Keychain"
    assert system_keyring.platform_keyring("sunos5") is None


@pytest.mark.ui
def test_the_self_test_reports_the_keyring(qapp: QApplication, chosen_keyring: None) -> None:
    keyring.set_keyring(DeskKeyring())
    out = io.StringIO()

    assert selftest.run_self_test(out) == 0

    assert "find the keyring backend: ok (Desk Keyring)" in out.getvalue()


@pytest.mark.ui
def test_a_bundle_without_the_backends_modules_fails_the_self_test(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = PlatformKeyring("Secret Service", "keyring.backends.SecretService", "Keyring",
                             ("secretstorage", "no_such_dbus_module"))
    monkeypatch.setattr(system_keyring, "platform_keyring", lambda platform=None: broken)
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1

    assert ("find the keyring backend: FAILED: this installation lacks what its keyring "
            "backend needs: no_such_dbus_module") in out.getvalue()
