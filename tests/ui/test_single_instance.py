"""One Flowbench per user: a second start hands its workspace and flow file to the
running one and exits 0; a killed Flowbench does not block the next; the command line is
not affected. Every start here is a real process (offscreen, with its own folders)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from flowbench.ui.launch import _absolute, act_on_handover
from flowbench.ui.single_instance import (
    Handover,
    InstanceLock,
    InstanceServer,
    default_config_folder,
    instance_key,
)

pytestmark = [pytest.mark.ui, pytest.mark.slow]
LISTENING = "listening for later starts"
START_TIMEOUT = 60


def _load_flow_file_helper() -> Callable[..., Path]:
    """``flow_file`` of test_shell_open_file.py (test modules cannot import each other)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "open_file_tests", Path(__file__).with_name("test_shell_open_file.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.flow_file  # type: ignore[no-any-return]


class Profile:
    """A user's folders, as every Flowbench started with them sees them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("XDG_", "QT_", "FLOWBENCH_WORKSPACE"))}
        self.env.update(HOME=str(root), QT_QPA_PLATFORM="offscreen",
                        XDG_CONFIG_HOME=str(root / "config"),
                        XDG_STATE_HOME=str(root / "state"),
                        XDG_DATA_HOME=str(root / "data"), XDG_CACHE_HOME=str(root / "cache"))
        self.log = root / "state" / "Flowbench" / "log" / "flowbench.log"
        self.started: list[subprocess.Popen[str]] = []

    @property
    def key(self) -> str:
        """The key every Flowbench of this profile uses (its home is ``root``)."""
        home = os.environ.get("HOME")
        os.environ["HOME"] = str(self.root)
        try:
            return instance_key(self.root / "config" / "Flowbench")
        finally:
            if home is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = home

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "flowbench", *args]

    def start(self, *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(self.command(*args), env=self.env, cwd=self.root,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        self.started.append(process)
        return process

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), env={**self.env, **env}, cwd=self.root,
                              capture_output=True, text=True, timeout=START_TIMEOUT,
                              check=False)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def wait_for_log(self, text: str, count: int = 1,
                     process: subprocess.Popen[str] | None = None) -> None:
        """Until the log holds ``text`` ``count`` times (a running Flowbench writes it)."""
        import time

        deadline = time.monotonic() + START_TIMEOUT
        while self.log_text().count(text) < count:
            if process is not None and process.poll() is not None:
                raise AssertionError(f"Flowbench ended ({process.returncode}): "
                                     f"{process.stdout.read() if process.stdout else ''}")
            assert time.monotonic() < deadline, f"never logged {text!r}:\n{self.log_text()}"
            time.sleep(0.1)


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    made = Profile(tmp_path / "user")
    made.root.mkdir()
    yield made
    for process in made.started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def test_a_second_start_hands_its_workspace_over_and_exits(profile: Profile) -> None:
    first = profile.start("--workspace", str(profile.root / "first.flowbench"))
    profile.wait_for_log(LISTENING, process=first)

    second_workspace = profile.root / "second.flowbench"
    second = profile.run("--workspace", "second.flowbench")  # relative to its own folder

    assert second.returncode == 0, second.stdout + second.stderr
    profile.wait_for_log(f"a second start handed over: open the workspace {second_workspace}")
    profile.wait_for_log(f"opening workspace {second_workspace}", process=first)
    assert second_workspace.exists()  # the first Flowbench opened (created) it
    assert first.poll() is None
    assert profile.log_text().count(LISTENING) == 1  # the second never opened a window

    # The command line is not a window: it runs as always while Flowbench is open.
    version = profile.run("--version")
    assert version.returncode == 0 and version.stdout.startswith("flowbench ")
    made = profile.run("--workspace", str(profile.root / "cli.flowbench"), "init",
                       "--workspace-name", "CLI", "--owner-email", "cli@example.com",
                       "--owner-name", "Cli", FLOWBENCH_PASSWORD="pass word 12")
    assert made.returncode == 0, made.stderr
    assert (cli_workspace := profile.root / "cli.flowbench").exists()
    assert str(cli_workspace) not in profile.log_text()  # never handed to the window


def test_a_killed_flowbench_does_not_block_the_next_start(profile: Profile) -> None:
    killed = profile.start()
    profile.wait_for_log(LISTENING, process=killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)

    survivor = profile.start()  # finds the lock and socket the killed one left behind
    profile.wait_for_log(LISTENING, count=2, process=survivor)
    third = profile.run(str(profile.root / "missing.flowbench.json"))

    assert third.returncode == 0, third.stdout + third.stderr
    profile.wait_for_log("a second start handed over: import the flow file "
                         f"{profile.root / 'missing.flowbench.json'}", process=survivor)
    assert survivor.poll() is None


def test_the_running_window_imports_a_flow_file_a_second_start_hands_over(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path], tmp_path: Path,
        profile: Profile) -> None:
    """This test's window is the running Flowbench; a real second process double-clicks
    a flow file: the window comes to the front and imports it."""
    path = _load_flow_file_helper()(tmp_path)
    shell.start(made_workspace())
    shell.sign_in()
    lock = InstanceLock(profile.key)
    assert lock.try_take()
    server = InstanceServer(lock, shell.controller)
    server.handed_over.connect(
        lambda handover: act_on_handover(shell.window, shell.controller, handover))
    try:
        assert server.listen()
        shell.window.showMinimized()
        second = profile.start(str(path))
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=START_TIMEOUT * 1000)
        assert second.returncode == 0
        qtbot.waitUntil(lambda: "Trial welcome" in shell.flow_names(), timeout=10_000)
        qtbot.waitUntil(lambda: shell.window.edit_tab.flow_form.name.text()
                        == "Trial welcome")
        assert not shell.window.isMinimized()
        assert shell.prompts.errors == []
    finally:
        server.close()


def test_the_key_tells_users_and_profiles_apart(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """One key per user and settings folder: the same start after start, another for
    another home (another user, even with a shared $XDG_CONFIG_HOME) or profile."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "ana"))
    assert default_config_folder() == tmp_path / "config" / "Flowbench"
    ana = instance_key()
    assert ana == instance_key() and ana.startswith("flowbench-") and len(ana) == 26
    monkeypatch.setenv("HOME", str(tmp_path / "ben"))
    assert instance_key() != ana
    assert instance_key(tmp_path / "other") != instance_key()


def test_a_hand_over_is_plain_and_refuses_anything_else() -> None:
    handover = Handover("/home/me/team.flowbench", "/home/me/a.flowbench.json")
    assert Handover.decode(handover.encode().strip()) == handover
    assert Handover.decode(Handover().encode()) == Handover(None, None)
    for junk in (b"[1, 2]", b"not json", b'{"workspace": 3}', b"\xff\xfe"):
        with pytest.raises(ValueError):
            Handover.decode(junk)
    assert instance_key(Path("/a")) != instance_key(Path("/b"))
    # what the second start sends: paths made absolute, server addresses as they are
    assert _absolute("postgresql://ana@db:5432/fb") == "postgresql://ana@db:5432/fb"
    assert _absolute("team.flowbench") == str(Path.cwd() / "team.flowbench")
    assert _absolute(None) is None
