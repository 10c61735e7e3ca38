"""Persistence: peewee models, opening a workspace database, schema migrations."""
