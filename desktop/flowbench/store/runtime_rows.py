"""Removing the runtime rows of versions that are deleted.

Since migration step 6 the runtime tables of a PostgreSQL workspace (``instance``,
``card``, ``pending_branch``, ``push_notification``) carry no foreign keys: checking
them cost every started instance and sent card a lookup per key. Whatever deletes flow
versions therefore removes their runtime rows first, with this, on both databases (on
SQLite the keys' ``ON DELETE CASCADE`` would; doing it here keeps the two the same).
Customers and flows are never deleted on their own: a flow goes only with its versions.
"""

from __future__ import annotations

from peewee import Select

from flowbench.store import models


def delete_for_versions(versions: Select) -> None:
    """Delete what the versions' ``ON DELETE CASCADE`` keys removed: their instances and
    cards, the cards of those instances, the pending branches and push notifications of
    either (a notification of another instance only forgets the card). ``versions``
    selects ``flow_version.id``; the tally triggers follow."""
    instance, card = models.Instance, models.Card
    instances = instance.select(instance.id).where(instance.version.in_(versions))
    cards = card.select(card.id).where(card.version.in_(versions)
                                       | card.instance.in_(instances))
    branch = models.PendingBranch
    branch.delete().where(branch.instance.in_(instances) | branch.card.in_(cards)).execute()
    push = models.PushNotification
    push.delete().where(push.version.in_(versions) | push.instance.in_(instances)).execute()
    push.update(card=None).where(push.card.in_(cards)).execute()
    card.delete().where(card.id.in_(cards)).execute()
    instance.delete().where(instance.id.in_(instances)).execute()
