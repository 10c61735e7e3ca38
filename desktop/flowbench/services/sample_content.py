"""What the sample workspace holds: its members, flows, customers and segments.

Plain data, no database: ``services.sample`` feeds it through the ordinary services.
The passwords are deliberately printed on screen — this is a demo workspace, kept in a
file of its own, never the member's real one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.segment_rules import Condition

WORKSPACE_NAME = "Northwind Coffee (sample)"


@dataclass(frozen=True)
class SampleAccount:
    name: str
    email: str
    role: str
    password: str
    groups: tuple[str, ...] = ()


OWNER = SampleAccount("Olivia Owens", "olivia@northwind.example", "owner", "sample-owner")
ADMIN = SampleAccount("Arjun Admas", "arjun@northwind.example", "admin", "sample-admin")
PUBLISHER = SampleAccount("Priya Patel", "priya@northwind.example", "publisher",
                          "sample-publisher")
EDITOR = SampleAccount("Eddie Ng", "eddie@northwind.example", "editor", "sample-editor")
LEGAL = SampleAccount("Lena Larsson", "lena@northwind.example", "editor", "sample-legal",
                      ("Legal",))
MARKETING = SampleAccount("Marco Rossi", "marco@northwind.example", "publisher",
                          "sample-marketing", ("Marketing",))
VIEWER = SampleAccount("Vera Quinn", "vera@northwind.example", "viewer", "sample-viewer")

ACCOUNTS: tuple[SampleAccount, ...] = (OWNER, ADMIN, PUBLISHER, EDITOR, LEGAL, MARKETING,
                                       VIEWER)
GROUPS = ("Legal", "Marketing")

TRIAL_SEGMENT = "New trial users"
LAPSED_SEGMENT = "Lapsed subscribers"

SEGMENTS_JSON = f"""[
  {{"name": "{TRIAL_SEGMENT}", "match": "all",
    "conditions": [{{"attribute": "plan", "op": "eq", "value": "trial"}}]}},
  {{"name": "{LAPSED_SEGMENT}", "match": "all",
    "conditions": [{{"attribute": "plan", "op": "eq", "value": "lapsed"}},
                   {{"attribute": "orders", "op": "gte", "value": 1}}]}}
]"""

_FIRST = ("Ada", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jade",
          "Kofi", "Lea", "Mateo", "Nora", "Omar", "Pia", "Quentin", "Rosa", "Sven", "Tara",
          "Umar", "Vik", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carmen", "Dev")
_PLANS = ("trial", "monthly", "annual", "lapsed", "trial", "monthly")
_COUNTRIES = ("GB", "DE", "FR", "NL", "SE", "ES")


def customers_csv() -> str:
    """Thirty customers on different plans, plus three test accounts."""
    lines = ["id,test,name,plan,country,orders,signed_up"]
    for index, first in enumerate(_FIRST):
        plan = _PLANS[index % len(_PLANS)]
        orders = 0 if plan == "trial" else 1 + (index * 7) % 23
        lines.append(f"c-{1001 + index},no,{first},{plan},{_COUNTRIES[index % 6]},{orders},"
                     f"2026-0{1 + index % 4}-{10 + index % 18:02d}")
    for index, tester in enumerate(("Tess Tester", "Tom Tester", "Tia Tester")):
        lines.append(f"test-{index + 1},yes,{tester},trial,GB,0,2026-01-01")
    return "\n".join(lines) + "\n"


def _card(step_id: str, title: str, body: str, parent: str | None = None,
          buttons: tuple[Button, ...] = (Button("OK"),), expires: str | None = None,
          priority: int = 5) -> Step:
    return Step(step_id, "send_card", parent, title=title, body=body, buttons=buttons,
                expires_after=expires, priority=priority)


def _push(step_id: str, title: str, body: str, parent: str | None,
          card: str | None = None, path: str | None = None) -> Step:
    return Step(step_id, "send_push", parent, title=title, body=body, card=card, path=path)


def _wait(step_id: str, duration: str, parent: str | None) -> Step:
    return Step(step_id, "wait_duration", parent, duration=duration)


def _await(step_id: str, card: str, action: str, parent: str,
           timeout: str | None = None) -> Step:
    return Step(step_id, "wait_card_action", parent, card=card, action=action,
                timeout=timeout)


TOUR = (Button("Take the tour"), Button("Later", "dismiss"))


def welcome_v1() -> FlowDefinition:
    return FlowDefinition(
        Trigger("segment_entered", segment=TRIAL_SEGMENT),
        (_card("welcome_card", "Welcome to Northwind Coffee",
               "Your 14-day trial has started. Take a two-minute tour of the app.",
               buttons=TOUR, expires="P7D", priority=7),
         _await("tour_taken", "welcome_card", "submitted", "welcome_card", timeout="P3D"),
         _push("first_brew", "Your first brew is on us",
               "Use code FIRSTBREW at checkout.", "tour_taken", card="welcome_card"),
         _push("tour_nudge", "Two minutes to your perfect cup",
               "The tour shows how to pick beans and grind size. Take it when you like.",
               "tour_taken", card="welcome_card", path="otherwise"),
         _wait("two_days", "P2D", "welcome_card"),
         _card("pick_roast", "Pick your roast", "Light, medium or dark? Tell us and we "
               "will tailor your first box.", "two_days", buttons=(Button("Choose"),))),
        "Greets new trial users, nudges them through the tour and asks their taste.")


def welcome_v2() -> FlowDefinition:
    steps = list(welcome_v1().steps)
    steps[-1] = steps[-1].with_changes(title="Pick your roast (new)",
                                       body="Light, medium or dark? Pick one and get a "
                                            "free sample bag in your first box.")
    steps.append(_push("roast_reminder", "Still deciding?", "Your free sample bag is "
                       "waiting: pick a roast today.", "pick_roast", card="pick_roast"))
    return FlowDefinition(welcome_v1().trigger, tuple(steps),
                          welcome_v1().description + " Version 2 adds a reminder.")


def winback() -> FlowDefinition:
    return FlowDefinition(
        Trigger("segment_entered", segment=LAPSED_SEGMENT),
        (_card("offer", "We miss you — 30% off", "Come back this month and your next "
               "three boxes are 30% off.", buttons=(Button("Claim offer"),
                                                    Button("No thanks", "dismiss")),
               expires="P14D", priority=8),
         _await("claimed", "offer", "submitted", "offer", timeout="P10D"),
         Step("regular", "split", "claimed", match="any",
              conditions=(Condition("orders", "gte", 10),)),
         _push("thanks_regular", "Welcome back, old friend!", "Your discount is applied, "
               "and your favourite roast is back in stock.", "regular", path="yes"),
         _push("thanks", "Welcome back!", "Your discount is applied to the next three "
               "boxes.", "regular", path="no"),
         _push("last_chance", "Last days of 30% off", "Your comeback offer ends soon.",
               "claimed", card="offer", path="otherwise")),
        "Offers lapsed subscribers a discount to come back; regulars (10 orders or "
        "more) are welcomed as such.")


def delivered_feedback() -> FlowDefinition:
    return FlowDefinition(
        Trigger("api_event", event="order_delivered"),
        (_wait("settle_in", "PT6H", None),
         _card("rate", "How was your coffee?", "Rate your latest box in one tap.",
               "settle_in", buttons=(Button("Rate it"), Button("Skip", "dismiss")),
               expires="P5D"),
         _await("rated", "rate", "submitted", "rate"),
         _push("thank_you", "Thanks for the rating", "It helps us pick better beans.",
               "rated")),
        "Asks for a rating six hours after each delivery.")


def payment_v1() -> FlowDefinition:
    return FlowDefinition(
        Trigger("manual"),
        (_card("update_card", "Your payment did not go through",
               "Update your card so your next box ships on time.",
               buttons=(Button("Update card", "link",
                               "https://northwind.example/account/billing"),),
               priority=9),
         _wait("grace", "P3D", "update_card"),
         _push("last_call", "Last call for your next box", "Update your card today.",
               "grace", card="update_card")),
        "Started by the billing team for customers whose payment failed.")


def payment_v2() -> FlowDefinition:
    first = payment_v1()
    steps = [step.with_changes(duration="P2D") if step.id == "grace" else step
             for step in first.steps]
    return FlowDefinition(first.trigger, tuple(steps), first.description
                          + " The grace period is now two days.")


def spring_promotion() -> FlowDefinition:
    """Work in progress: the second card has no text yet (the Edit tab shows why)."""
    return FlowDefinition(
        Trigger("manual"),
        (_card("teaser", "Spring blends are coming", "Three new single-origin coffees, "
               "out on 1 April.", buttons=(Button("Notify me"),)),
         _wait("until_launch", "P5D", "teaser"),
         _card("launch", "", "", "until_launch")),
        "Draft: announce the spring blends.")
