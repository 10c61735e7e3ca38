"""Who may do what in the local runtime — the one place the runtime services look it up.

=====================================================  ===================
action                                                 permission
=====================================================  ===================
rehearsal data: import or set customers, import        ``edit_draft``
segments, send or import events, advance the clock,
act on a card as the customer would
start a live manual flow for chosen customers          ``publish``
send the draft to test accounts                        ``send_test``
cancel running instances (``--with-cards``: also       ``cancel_instances``
their cards)                                           (+ ``cancel_cards``)
cancel open cards                                      ``cancel_cards``
look: lists, the clock, runtime status, test inbox     any active member
=====================================================  ===================

So an Editor rehearses and tests but starts nothing live; a Publisher also starts and
cancels; a Viewer changes nothing. Every change writes an audit entry.
"""

from __future__ import annotations

import datetime

from flowbench.domain.roles import Permission

REHEARSAL = Permission.EDIT_DRAFT
START_LIVE = Permission.PUBLISH
TEST_SEND = Permission.SEND_TEST
CANCEL_INSTANCES = Permission.CANCEL_INSTANCES
CANCEL_CARDS = Permission.CANCEL_CARDS


def iso(seconds: int | None) -> str | None:
    """A runtime time (whole seconds) as ISO 8601 UTC text: ``2026-05-01T09:30:00Z``."""
    if seconds is None:
        return None
    moment = datetime.datetime.fromtimestamp(int(seconds), datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
