"""An identity given is an identity checked: every command given ``--as`` signs the member
in — commands that change nothing too — and every failure counts toward the sign-in
throttle. Without ``--as`` the commands that change nothing still run, and say so."""

from __future__ import annotations

import pytest

from flowbench.cli import build_parser

READ_COMMANDS = [
    ("flows", "list"), ("members", "list"), ("groups", "list"), ("settings", "show"),
    ("versions", "Welcome series"), ("validate", "Welcome series"),
    ("flows", "export", "Welcome series"), ("customers", "list"), ("segments", "list"),
    ("clock", "show"), ("cards", "list"), ("runtime-status", "Welcome series"),
    ("test-inbox", "ann"),
]


@pytest.fixture
def with_flow(run, flow_file):
    assert run("flows", "import", str(flow_file()), as_="editor").code == 0
    assert run("customers", "import", str(_customers(flow_file)), as_="editor").code == 0
    return run


def _customers(flow_file):
    return flow_file(b"id,test\nann,yes\n")


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_read_command_refuses_a_wrong_password_and_runs_without_as(
        with_flow, refused, monkeypatch, command) -> None:
    run = with_flow
    assert run(*command).code == 0  # nobody named: it changes nothing, so it runs

    monkeypatch.setenv("FLOWBENCH_PASSWORD", "not the password")
    outcome = run(*command, as_="viewer")
    refused(outcome, "Wrong email or password")
    assert outcome.out == ""  # nothing was shown to the wrong person


@pytest.mark.parametrize("command", [("flows", "list"), ("clock", "show"),
                                     ("runtime-status", "Welcome series")], ids=" ".join)
def test_an_unknown_email_is_refused_like_a_wrong_password(with_flow, refused,
                                                           command) -> None:
    outcome = with_flow(*command, as_="nobody@example.com")
    refused(outcome, "Wrong email or password")
    assert outcome.out == ""


@pytest.mark.parametrize("command", [("flows", "list"), ("members", "list"),
                                     ("versions", "Welcome series")], ids=" ".join)
def test_a_deactivated_account_is_refused_even_for_reading(with_flow, refused,
                                                           command) -> None:
    run = with_flow
    assert run("members", "deactivate", "vi@example.com", as_="owner").code == 0
    outcome = run(*command, as_="viewer")
    refused(outcome, "vi@example.com is deactivated")
    assert outcome.out == ""


def test_failed_read_sign_ins_count_toward_the_throttle(with_flow, refused,
                                                        monkeypatch) -> None:
    run = with_flow
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "not the password")
    for _ in range(3):
        refused(run("flows", "list", as_="viewer"), "Wrong email or password")
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "correct horse battery")
    refused(run("flows", "list", as_="viewer"), "Too many failed sign-ins")


def test_unknown_emails_are_throttled_like_known_ones(with_flow, refused) -> None:
    for _ in range(3):
        refused(with_flow("clock", "show", as_="ghost@example.com"),
                "Wrong email or password")
    refused(with_flow("clock", "show", as_="ghost@example.com"), "Too many failed sign-ins")


def test_the_right_password_on_a_read_command_runs_it(with_flow) -> None:
    outcome = with_flow("flows", "list", "--json", as_="viewer")
    assert outcome.code == 0
    assert [flow["name"] for flow in outcome.json()] == ["Welcome series"]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_the_help_of_a_read_command_says_it_needs_no_as(command, capsys) -> None:
    words = [word for word in command if word[:1].islower() and " " not in word
             and word != "ann"]
    with pytest.raises(SystemExit):
        build_parser().parse_args([*words, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "runs without --as" in text
    assert "An --as given is checked" in text
