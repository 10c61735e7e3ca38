"""Use cases. Each call checks permissions first, runs in one transaction, writes an
audit entry and returns a result object or raises a ``FlowbenchError``.

The GUI and the CLI call only these.
"""
