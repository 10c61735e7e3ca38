"""Peewee models of a workspace. All bound to ``database`` (a DatabaseProxy).

Runtime times (``*_at`` in the runtime tables) are whole seconds on the runtime clock,
stored as integers so that bulk SQL and indexes stay simple on SQLite and PostgreSQL.

Each model also declares, as bare annotations, the ``<name>_id`` accessors its foreign
keys give (the related row's id, read without loading the row), which peewee's stubs do
not know. peewee reads only the fields in a class body, never its annotations, so these
make no column: tests/unit/test_model_annotations.py holds them to the foreign keys.
"""

from __future__ import annotations

import datetime

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the database itself: application name, schema version."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()

    class Meta:
        table_name = "flowbench_meta"


class WorkspaceSettings(BaseModel):
    id = AutoField()
    name = CharField(max_length=200)
    approvals_enabled = BooleanField(default=False)
    allow_self_approval = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)


class Member(BaseModel):
    id = AutoField()
    email = CharField(max_length=254, unique=True)  # stored lower-case
    name = CharField(max_length=200)
    role = CharField(max_length=32)
    password_hash = TextField()
    active = BooleanField(default=True)
    failed_sign_ins = IntegerField(default=0)
    last_failed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


class ApprovalGroup(BaseModel):
    id = AutoField()
    name = CharField(max_length=100)
    name_key = CharField(max_length=100, unique=True)


class GroupMembership(BaseModel):
    id = AutoField()
    group = ForeignKeyField(ApprovalGroup, on_delete="CASCADE", backref="memberships")
    member = ForeignKeyField(Member, on_delete="CASCADE", backref="group_memberships")

    # ids of the foreign keys (annotations only: see the module docstring)
    group_id: int
    member_id: int

    class Meta:
        indexes = ((("group", "member"), True),)


class Flow(BaseModel):
    id = AutoField()
    name = CharField(max_length=200)
    name_key = CharField(max_length=200, unique=True)  # lower-cased name
    archived = BooleanField(default=False)
    created_by = ForeignKeyField(Member, backref="+")
    created_at = DateTimeField(default=utcnow)

    # ids of the foreign keys (annotations only: see the module docstring)
    created_by_id: int


class FlowVersion(BaseModel):
    """One numbered version. ``status`` is draft, live or previous."""

    id = AutoField()
    flow = ForeignKeyField(Flow, on_delete="CASCADE", backref="versions")
    number = IntegerField()
    status = CharField(max_length=16, index=True)
    definition = TextField()  # canonical JSON of the FlowDefinition
    content_hash = CharField(max_length=64)
    revision = IntegerField(default=1)
    created_by = ForeignKeyField(Member, backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(Member, backref="+", null=True)
    updated_at = DateTimeField(null=True)
    published_by = ForeignKeyField(Member, backref="+", null=True)
    published_at = DateTimeField(null=True)

    # ids of the foreign keys (annotations only: see the module docstring)
    flow_id: int
    created_by_id: int
    updated_by_id: int | None
    published_by_id: int | None

    class Meta:
        indexes = ((("flow", "number"), True), (("flow", "status"), False))


class VersionEditor(BaseModel):
    """Members who changed a draft's content (they may not approve it by default)."""

    id = AutoField()
    version = ForeignKeyField(FlowVersion, on_delete="CASCADE", backref="editors")
    member = ForeignKeyField(Member, backref="+")

    # ids of the foreign keys (annotations only: see the module docstring)
    version_id: int
    member_id: int

    class Meta:
        indexes = ((("version", "member"), True),)


class Approval(BaseModel):
    id = AutoField()
    version = ForeignKeyField(FlowVersion, on_delete="CASCADE", backref="approvals")
    group = ForeignKeyField(ApprovalGroup, on_delete="CASCADE", backref="+")
    member = ForeignKeyField(Member, backref="+")
    content_hash = CharField(max_length=64)
    decision = CharField(max_length=16)
    comment = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    # ids of the foreign keys (annotations only: see the module docstring)
    version_id: int
    group_id: int
    member_id: int


class AuditEntry(BaseModel):
    id = AutoField()
    at = DateTimeField(default=utcnow, index=True)
    member = ForeignKeyField(Member, null=True, backref="+")
    action = CharField(max_length=64, index=True)
    flow = ForeignKeyField(Flow, null=True, backref="+", on_delete="SET NULL")
    summary = TextField(default="")
    details = TextField(default="{}")  # JSON

    # ids of the foreign keys (annotations only: see the module docstring)
    member_id: int | None
    flow_id: int | None


FOUNDATION_MODELS: list[type[BaseModel]] = [
    Meta, WorkspaceSettings, Member, ApprovalGroup, GroupMembership, Flow, FlowVersion,
    VersionEditor, Approval, AuditEntry,
]


# --- runtime ---------------------------------------------------------------------------
# The tables as migration step 2 creates them. Step 6 then drops some of their indexes,
# makes others partial and, on PostgreSQL, drops the foreign keys of instance, card,
# pending_branch and push_notification (store/runtime_indexes.py, store/runtime_rows.py).

class RuntimeClock(BaseModel):
    id = AutoField()
    now = BigIntegerField()


class Customer(BaseModel):
    id = AutoField()
    external_id = CharField(max_length=200, unique=True)
    attributes = TextField(default="{}")  # JSON object
    is_test = BooleanField(default=False)
    created_at = BigIntegerField()
    updated_at = BigIntegerField()


class Segment(BaseModel):
    id = AutoField()
    name = CharField(max_length=200, unique=True)
    rule = TextField()  # JSON {"match": "all"|"any", "conditions": [...]}
    created_at = BigIntegerField()


class SegmentMember(BaseModel):
    id = AutoField()
    segment = ForeignKeyField(Segment, on_delete="CASCADE", backref="members")
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    is_test = BooleanField(default=False)
    entered_at = BigIntegerField()

    # ids of the foreign keys (annotations only: see the module docstring)
    segment_id: int
    customer_id: int

    class Meta:
        indexes = ((("segment", "customer"), True), (("segment", "is_test"), False))


class Event(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    name = CharField(max_length=100, index=True)
    payload = TextField(default="{}")
    at = BigIntegerField()

    # ids of the foreign keys (annotations only: see the module docstring)
    customer_id: int


class Instance(BaseModel):
    id = AutoField()
    flow = ForeignKeyField(Flow, on_delete="CASCADE", backref="+")
    version = ForeignKeyField(FlowVersion, on_delete="CASCADE", backref="+")
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    status = CharField(max_length=16)  # running / completed / cancelled
    is_test = BooleanField(default=False)
    started_at = BigIntegerField()
    ended_at = BigIntegerField(null=True)
    cancel_reason = TextField(null=True)

    # ids of the foreign keys (annotations only: see the module docstring)
    flow_id: int
    version_id: int
    customer_id: int

    class Meta:
        indexes = (
            (("version", "is_test", "status"), False),
            (("flow", "customer", "status"), False),
        )


class Card(BaseModel):
    id = AutoField()
    instance = ForeignKeyField(Instance, on_delete="CASCADE", backref="+")
    flow = ForeignKeyField(Flow, on_delete="CASCADE", backref="+")
    version = ForeignKeyField(FlowVersion, on_delete="CASCADE", backref="+")
    step_id = CharField(max_length=64)
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    status = CharField(max_length=16)  # active/snoozed/dismissed/completed/expired/cancelled
    is_test = BooleanField(default=False)
    title = TextField(default="")
    body = TextField(default="")
    buttons = TextField(default="[]")
    priority = IntegerField(default=5)
    created_at = BigIntegerField()
    expires_at = BigIntegerField(null=True)
    closed_at = BigIntegerField(null=True)

    # ids of the foreign keys (annotations only: see the module docstring)
    instance_id: int
    flow_id: int
    version_id: int
    customer_id: int

    class Meta:
        indexes = (
            (("version", "is_test", "status"), False),
            (("customer", "status"), False),
            (("status", "expires_at"), False),
        )


class PendingBranch(BaseModel):
    """A branch of an instance parked at a wait step."""

    id = AutoField()
    instance = ForeignKeyField(Instance, on_delete="CASCADE", backref="+")
    step_id = CharField(max_length=64)
    wait_until = BigIntegerField(null=True, index=True)  # duration wait or timeout
    card = ForeignKeyField(Card, null=True, on_delete="CASCADE", backref="+")
    card_state = CharField(max_length=16, null=True)  # awaited state, or None

    # ids of the foreign keys (annotations only: see the module docstring)
    instance_id: int
    card_id: int | None


class PushNotification(BaseModel):
    id = AutoField()
    instance = ForeignKeyField(Instance, on_delete="CASCADE", backref="+")
    version = ForeignKeyField(FlowVersion, on_delete="CASCADE", backref="+")
    step_id = CharField(max_length=64)
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    title = TextField(default="")
    body = TextField(default="")
    card = ForeignKeyField(Card, null=True, on_delete="SET NULL", backref="+")
    is_test = BooleanField(default=False)
    created_at = BigIntegerField()

    # ids of the foreign keys (annotations only: see the module docstring)
    instance_id: int
    version_id: int
    customer_id: int
    card_id: int | None


RUNTIME_MODELS: list[type[BaseModel]] = [
    RuntimeClock, Customer, Segment, SegmentMember, Event, Instance, Card, PendingBranch,
    PushNotification,
]



# --- runtime history (migration step 5) ---------------------------------------------------

class SegmentChange(BaseModel):
    """A customer entered or left a segment, and when (the forecast replays the entries;
    ``segment_member`` only knows who is in a segment now)."""

    id = AutoField()
    segment = ForeignKeyField(Segment, on_delete="CASCADE", backref="+")
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="+")
    entered = BooleanField()  # True: entered; False: left
    at = BigIntegerField()

    # ids of the foreign keys (annotations only: see the module docstring)
    segment_id: int
    customer_id: int

    class Meta:
        indexes = ((("segment", "at"), False),)


HISTORY_MODELS: list[type[BaseModel]] = [SegmentChange]


# --- kept draft revisions (schema step 4) --------------------------------------------------

class DraftRevision(BaseModel):
    """Every saved revision of every draft, never edited or deleted: no save loses content.

    Keyed by the flow and the version *number* (not the version row), so that the
    revisions of a discarded draft stay kept too.
    """

    id = AutoField()
    flow = ForeignKeyField(Flow, on_delete="CASCADE", backref="+")
    version_number = IntegerField()
    revision = IntegerField()
    definition = TextField()
    content_hash = CharField(max_length=64)
    saved_by = ForeignKeyField(Member, backref="+", null=True)
    saved_at = DateTimeField(default=utcnow)

    # ids of the foreign keys (annotations only: see the module docstring)
    flow_id: int
    saved_by_id: int | None

    class Meta:
        indexes = ((("flow", "version_number", "revision"), True),)


REVISION_MODELS: list[type[BaseModel]] = [DraftRevision]
ALL_MODELS = FOUNDATION_MODELS + RUNTIME_MODELS + HISTORY_MODELS + REVISION_MODELS
