"""The local runtime engine: triggers, the step walk, waits, cards, the clock (DESIGN §5).

No Qt and no services: the engine works on the store's models and the domain's
definitions, inside a transaction its caller opens (services wrap each call in
``write_transaction()``; the publish runs several engine calls in its own one).

Everything is set-based. A *cohort* — the instances that reach the same step of the same
version at the same moment — is advanced with one statement per step: a send-card step is
one ``INSERT … SELECT`` into ``card``, a send-push step one into the outbox, a wait one
into ``pending_branch``, and the instances left with nothing pending are completed by one
``UPDATE``. Starting a million customers is a handful of statements, never a Python loop.
"""
