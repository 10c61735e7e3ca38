"""Validation of cards and pushes: titles, bodies, buttons, links, priorities, and what
a push may point at."""

from __future__ import annotations

import pytest
from validation_support import card, flow, only_problem, problems, push, wait

from flowbench.domain.definition import Button


@pytest.mark.parametrize("value", [None, "", "   "])
@pytest.mark.parametrize("field", ["title", "body"])
def test_empty_card_title_or_body(field: str, value: str | None) -> None:
    only_problem(flow(card(**{field: value})), step="welcome", field=field,
                 says=f"card {'title' if field == 'title' else 'body'} is empty")


@pytest.mark.parametrize("field", ["title", "body"])
def test_empty_push_title_or_body(field: str) -> None:
    only_problem(flow(card(), push(**{field: " "})), step="ping", field=field, says="empty")


def test_bad_button_action() -> None:
    definition = flow(card(buttons=(Button("OK", "submit"), Button("Go", "teleport"))))
    only_problem(definition, step="welcome", field="buttons[1].action",
                 says="Button 2 has the unknown action 'teleport'")


def test_button_without_label() -> None:
    only_problem(flow(card(buttons=(Button(" ", "dismiss"),))), step="welcome",
                 field="buttons[0].label", says="no label")


@pytest.mark.parametrize("url", [None, ""])
def test_link_button_without_url(url: str | None) -> None:
    only_problem(flow(card(buttons=(Button("Docs", "link", url),))), step="welcome",
                 field="buttons[0].url", says="link but has no URL")


@pytest.mark.parametrize("url", ["example.com", "ftp://example.com/x", "https://"])
def test_link_button_with_a_url_that_is_not_a_web_address(url: str) -> None:
    only_problem(flow(card(buttons=(Button("Docs", "link", url),))), step="welcome",
                 field="buttons[0].url", says="not a web address")


@pytest.mark.parametrize("priority", [0, 11, -3])
def test_priority_out_of_range(priority: int) -> None:
    only_problem(flow(card(priority=priority)), step="welcome", field="priority",
                 says="between 1 and 10")


@pytest.mark.parametrize("target, says", [
    ("later", "links to the wait of 2 days, which does not send a card"),
    ("ping", "links to the push “New card”, which does not send a card"),
    ("nowhere", "a card that is no longer in the flow .step “nowhere”.; choose another"),
])
def test_push_linked_to_a_step_that_is_not_a_send_card_step(target: str, says: str) -> None:
    only_problem(flow(card(), wait(), push(card=target)), step="ping", field="card",
                 says=says)


def test_push_linked_to_any_card_step_is_fine() -> None:
    assert problems(flow(card(), card("other"), push(parent="other", card="welcome"))) == []
