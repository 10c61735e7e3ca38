"""The pre-publish summary (a plan) and the member's three choices (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from flowbench.domain.changes import Change
from flowbench.domain.definition import FlowDefinition, StepKind, TriggerKind
from flowbench.domain.errors import InvalidInput
from flowbench.domain.migration import MigrationFigures
from flowbench.domain.versions import version_label
from flowbench.domain.wording import count_of


class BlockerKind(StrEnum):
    VALIDATION = "validation"
    APPROVAL = "approval"
    PERMISSION = "permission"
    NOTHING_TO_PUBLISH = "nothing_to_publish"


@dataclass(frozen=True)
class Blocker:
    kind: BlockerKind
    message: str
    step: str | None = None  # validation errors: where to jump in the editor
    field: str | None = None
    group: str | None = None  # approvals: the group still missing

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": str(self.kind), "message": self.message, "step": self.step,
                "field": self.field, "group": self.group}


@dataclass(frozen=True)
class PreviousVersionFigures:
    version: int
    running_instances: int
    open_cards: int

    def to_dict(self) -> dict[str, int]:
        return {"version": self.version, "running_instances": self.running_instances,
                "open_cards": self.open_cards}


@dataclass(frozen=True)
class SegmentFigures:
    name: str
    members: int  # non-test customers in the segment now
    already_running: int  # of them, how many already run this flow

    @property
    def would_start(self) -> int:
        return max(0, self.members - self.already_running)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "members": self.members,
                "already_running": self.already_running}


@dataclass(frozen=True)
class CardHolders:
    """Segment members (not test accounts) who still have an open card of an earlier
    version: its version and title, how many in all, how many of them not running the
    flow now (those a publish starts when running instances are not cancelled)."""

    version: int
    title: str
    in_segment: int
    not_running: int

    def to_dict(self) -> dict[str, object]:
        return {"version": self.version, "title": self.title, "in_segment": self.in_segment,
                "not_running": self.not_running}


@dataclass(frozen=True)
class PublishChoices:
    cancel_previous_instances: bool = False
    cancel_previous_cards: bool = False
    start_existing_segment_members: bool = False
    migrate_running_instances: bool = False  # move them onto the new version where they can

    def to_dict(self) -> dict[str, bool]:
        return {"cancel_previous_instances": self.cancel_previous_instances,
                "cancel_previous_cards": self.cancel_previous_cards,
                "start_existing_segment_members": self.start_existing_segment_members,
                "migrate_running_instances": self.migrate_running_instances}


@dataclass(frozen=True)
class PublishPlan:
    """Everything the member sees before publishing, and what the publish re-checks."""

    flow_id: int
    flow_name: str
    version: int | None  # the draft's number; None when there is nothing to publish
    revision: int | None
    content_hash: str | None
    live_version: int | None
    definition: FlowDefinition | None
    trigger: str  # in words
    steps: list[str]  # what each step does, in tree order, indented by depth
    changes: list[str]
    edited_by: str | None
    edited_at: str | None
    blockers: list[Blocker] = field(default_factory=list)
    approvals_missing: list[str] = field(default_factory=list)
    can_override: bool = False
    previous_versions: list[PreviousVersionFigures] = field(default_factory=list)
    segment: SegmentFigures | None = None
    what_changed: list[Change] = field(default_factory=list)  # ``changes``, value by value
    migration: MigrationFigures | None = None  # the fourth choice: moving running instances
    card_holders: list[CardHolders] = field(default_factory=list)
    # ``card_holders`` not counted yet (it reads every open card of the earlier versions:
    # the pre-publish dialog counts them in the background, after it opens)
    holders_pending: bool = False

    @property
    def is_segment_triggered(self) -> bool:
        return (self.definition is not None
                and self.definition.trigger.kind == TriggerKind.SEGMENT_ENTERED)

    @property
    def running_previous(self) -> int:
        return sum(v.running_instances for v in self.previous_versions)

    @property
    def open_cards_previous(self) -> int:
        return sum(v.open_cards for v in self.previous_versions)

    @property
    def hard_blockers(self) -> list[Blocker]:
        """Blockers an override cannot lift (all but missing approvals)."""
        return [b for b in self.blockers if b.kind != BlockerKind.APPROVAL]

    @property
    def can_publish(self) -> bool:
        return not self.blockers

    @property
    def can_publish_with_override(self) -> bool:
        return not self.hard_blockers and self.can_override and bool(self.approvals_missing)

    def change_entries(self) -> list[dict[str, object]]:
        """``changes`` as the dry run's JSON gives them: text, step, field, before, after."""
        if self.what_changed:
            return [change.to_dict() for change in self.what_changed]
        return [Change(text).to_dict() for text in self.changes]

    def previous_label(self) -> str:
        return version_label([v.version for v in self.previous_versions])

    def to_dict(self) -> dict[str, object]:
        return {
            "flow": self.flow_name, "version": self.version, "revision": self.revision,
            "live_version": self.live_version, "trigger": self.trigger, "steps": self.steps,
            "changes": self.changes, "edited_by": self.edited_by, "edited_at": self.edited_at,
            "blocking": [b.to_dict() for b in self.blockers],
            "approvals_missing": self.approvals_missing,
            "previous_versions": [v.to_dict() for v in self.previous_versions],
            "segment": self.segment.to_dict() if self.segment else None,
            "card_holders": [h.to_dict() for h in self.card_holders],
        }


def check_choices(plan: PublishPlan, choices: PublishChoices) -> None:
    if choices.start_existing_segment_members and not plan.is_segment_triggered:
        raise InvalidInput("Only a flow triggered by entering a segment can be started for "
                           "the customers already in the segment.")


def _count(n: int, word: str) -> str:
    return count_of(n, word)


@dataclass(frozen=True)
class DuplicateCards:
    """Customers a publish would start who still have an open card of an earlier version
    and will get the draft's card too."""

    customers: int
    title: str
    version: int

    def describe(self) -> str:
        """'118 of them still have “Welcome aboard!” from Version 1'."""
        verb = "has" if self.customers == 1 else "have"
        return f"{self.customers:,} of them still {verb} “{self.title}” from Version " \
               f"{self.version}"

    def to_dict(self) -> dict[str, object]:
        return {"customers": self.customers, "title": self.title, "version": self.version}


@dataclass(frozen=True)
class PublishCounts:
    """What a publish with given choices does, in numbers: what the dialog and the dry run
    show and what the publish then reports. New choices add a count here."""

    cancelled_instances: int = 0
    cancelled_cards: int = 0
    started_instances: int = 0
    duplicate_cards: tuple[DuplicateCards, ...] = ()
    moved_instances: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"cancelled_instances": self.cancelled_instances,
                "cancelled_cards": self.cancelled_cards,
                "started_instances": self.started_instances,
                "moved_instances": self.moved_instances,
                "duplicate_cards": [d.to_dict() for d in self.duplicate_cards]}

    def duplicate_warning(self) -> str | None:
        """'Started customers get a second card: 118 of them still have …' or None."""
        if not self.duplicate_cards:
            return None
        return ("Customers this publish starts get the new version's card while they "
                "still have an earlier one: " + "; ".join(
                    d.describe() for d in self.duplicate_cards) + ". Tick “cancel active "
                "cards” to avoid it.")


def start_count(plan: PublishPlan, choices: PublishChoices) -> int:
    """How many customers "start for existing segment members" starts with the other
    ``choices`` as they are."""
    return publish_counts(plan, replace(choices, start_existing_segment_members=True)
                          ).started_instances


def duplicates_possible(plan: PublishPlan, choices: PublishChoices) -> bool:
    """Whether customers this publish starts could get a second card with ``choices``
    (``card_holders`` says how many do)."""
    return (choices.start_existing_segment_members and plan.segment is not None
            and not choices.cancel_previous_cards and _sends_cards(plan.definition))


def _sends_cards(definition: FlowDefinition | None) -> bool:
    return definition is not None and any(step.kind == StepKind.SEND_CARD
                                          for step in definition.steps)


def publish_counts(plan: PublishPlan, choices: PublishChoices) -> PublishCounts:
    """The counts a publish of ``plan`` with ``choices`` will have — the one computation
    the dialog, the dry run and the publish's own check share.

    The publish moves the movable running instances first (when chosen), then cancels the
    running instances left (all of them, without the move), then starts the segment's
    members who run nothing any more: the customers a cancel frees start again, the ones
    moved keep running and do not.
    """
    figures = plan.migration
    moving = choices.migrate_running_instances and figures is not None
    moved = figures.movable if moving and figures is not None else 0
    instances = 0
    if choices.cancel_previous_instances:
        instances = figures.not_movable if moving and figures is not None \
            else plan.running_previous
    cards = plan.open_cards_previous if choices.cancel_previous_cards else 0
    started = 0
    duplicates: list[DuplicateCards] = []
    if choices.start_existing_segment_members and plan.segment is not None:
        everyone = choices.cancel_previous_instances and not moving
        if everyone:
            started = plan.segment.members
        elif choices.cancel_previous_instances and figures is not None:  # and moving
            started = max(0, plan.segment.members - figures.segment_members_moving)
        else:
            started = plan.segment.would_start
        if duplicates_possible(plan, choices):
            for holders in plan.card_holders:
                count = holders.in_segment if everyone else holders.not_running
                if count:
                    duplicates.append(DuplicateCards(count, holders.title, holders.version))
    return PublishCounts(instances, cards, started, tuple(duplicates), moved)


def choice_texts(plan: PublishPlan,
                 choices: PublishChoices | None = None) -> dict[str, str]:
    """The label of each checkbox, with its live count (the start count as
    ``publish_counts`` has it with the other ``choices``: cancelled customers start
    again)."""
    label = plan.previous_label()
    texts = {}
    if plan.previous_versions:
        texts["cancel_previous_instances"] = (
            f"Cancel {_count(plan.running_previous, 'running instance')} of {label}")
        texts["cancel_previous_cards"] = (
            f"Cancel {_count(plan.open_cards_previous, 'active card')} sent by {label}")
    else:
        texts["cancel_previous_instances"] = "Cancel running instances of previous versions " \
                                             "(there are none)"
        texts["cancel_previous_cards"] = "Cancel active cards of previous versions " \
                                         "(there are none)"
    if plan.segment is not None:
        start = start_count(plan, choices or PublishChoices())
        texts["start_existing_segment_members"] = (
            f"Also start this flow for the {_count(start, 'customer')} already in "
            f"“{plan.segment.name}”" if start else
            f"Also start this flow for customers already in “{plan.segment.name}” "
            "(there are none to start)")
    return texts
