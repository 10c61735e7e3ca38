"""Which system keyring keeps team workspace passwords, and why there is none.

Team workspaces keep the server password in the system keyring (``store/team.py``):
Secret Service (GNOME Keyring, KWallet's Secret Service) on Linux, the Credential Locker
on Windows, the Keychain on macOS. ``flowbench --self-test`` and Help → About say which
one this installation found, so a member whose password is asked for at every start
learns why. The modules each platform's backend needs are part of the installation: a
bundle without them is broken (the self-test fails), a desktop without a running keyring
service is not.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

NONE_FOUND = "none — team workspace passwords will be asked for each time"


@dataclass(frozen=True)
class PlatformKeyring:
    label: str              # what members know it as
    backend_module: str     # keyring's backend for it
    backend_class: str
    needs: tuple[str, ...]  # the modules it imports, which a bundle must carry


PLATFORM_KEYRINGS = {
    "linux": PlatformKeyring("Secret Service", "keyring.backends.SecretService", "Keyring",
                             ("secretstorage", "jeepney", "cryptography")),
    "win32": PlatformKeyring("Windows Credential Locker", "keyring.backends.Windows",
                             "WinVaultKeyring", ("win32ctypes",)),
    "darwin": PlatformKeyring("macOS Keychain", "keyring.backends.macOS", "Keyring", ()),
}


@dataclass(frozen=True)
class KeyringStatus:
    backend: str | None  # the backend in use, None when passwords cannot be kept
    reason: str = ""     # why there is none (e.g. no Secret Service running)
    missing: tuple[str, ...] = ()  # modules this platform's backend needs but lacks

    def describe(self) -> str:
        if self.backend:
            return self.backend
        return f"{NONE_FOUND}. Why: {self.reason}" if self.reason else NONE_FOUND


def platform_keyring(platform: str | None = None) -> PlatformKeyring | None:
    platform = platform or sys.platform
    key = "linux" if platform.startswith("linux") else platform
    return PLATFORM_KEYRINGS.get(key)


def missing_modules(wanted: PlatformKeyring | None) -> tuple[str, ...]:
    if wanted is None:
        return ()
    missing = []
    for name in (wanted.backend_module, *wanted.needs):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that cannot load is as good as missing
            missing.append(name)
    return tuple(missing)


def keyring_status() -> KeyringStatus:
    """The backend keyring chose, or None with the reason."""
    wanted = platform_keyring()
    missing = missing_modules(wanted)
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        chosen = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring is reported, not raised
        return KeyringStatus(None, f"the keyring library cannot load: {exc}", missing)
    backends = (list(chosen.backends) if isinstance(chosen, chainer.ChainerBackend)
                else [chosen])
    usable = [b for b in backends if not isinstance(b, fail.Keyring | null.Keyring)]
    if usable:
        return KeyringStatus(", ".join(str(b.name) for b in usable), "", missing)
    return KeyringStatus(None, _why_unusable(wanted, missing), missing)


def _why_unusable(wanted: PlatformKeyring | None, missing: tuple[str, ...]) -> str:
    if wanted is None:
        return f"keyring has no backend for {sys.platform}"
    if missing:
        return f"{wanted.label} support is missing: {', '.join(missing)}"
    try:
        backend = getattr(importlib.import_module(wanted.backend_module), wanted.backend_class)
        backend.priority  # noqa: B018 - raises the reason it cannot be used
    except Exception as exc:  # noqa: BLE001
        return f"{wanted.label}: {str(exc).strip() or type(exc).__name__}"
    return f"{wanted.label} was not chosen (PYTHON_KEYRING_BACKEND or keyringrc.cfg?)"
