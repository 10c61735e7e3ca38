"""The segment rule language now lives in the domain (``flowbench.domain.segment_rules``):
decision split steps use it too, and the domain must not import the runtime. This module
keeps the old import path working."""

from flowbench.domain.segment_rules import (  # noqa: F401 - re-exported
    LIST_OPS,
    NO_VALUE_OPS,
    OPS,
    Condition,
    Rule,
    RuleError,
    parse_condition,
    parse_rule,
)
