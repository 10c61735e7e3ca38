"""Pure-Python core of Flowbench: definitions, validation, versions, roles, approvals.

Nothing in this package imports Qt or the database.
"""
