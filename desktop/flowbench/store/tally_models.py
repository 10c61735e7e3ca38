"""The live tallies as peewee sees them: read-only models of the tables and triggers
``store/tallies.py`` makes (counts of instances and cards per version, of segment members,
of segment members running a flow). They are kept by the database, never written here.
"""

from __future__ import annotations

from peewee import BigIntegerField, BooleanField, CharField, CompositeKey, IntegerField

from flowbench.store.models import BaseModel


class RuntimeTally(BaseModel):
    version_id = IntegerField()
    kind = CharField()  # instance / card
    status = CharField()
    is_test = BooleanField()
    n = BigIntegerField()

    class Meta:
        primary_key = CompositeKey("version_id", "kind", "status", "is_test")


class SegmentTally(BaseModel):
    segment_id = IntegerField()
    is_test = BooleanField()
    n = BigIntegerField()

    class Meta:
        primary_key = CompositeKey("segment_id", "is_test")


class SegmentFlowTally(BaseModel):
    segment_id = IntegerField()
    flow_id = IntegerField()
    n = BigIntegerField()

    class Meta:
        primary_key = CompositeKey("segment_id", "flow_id")
