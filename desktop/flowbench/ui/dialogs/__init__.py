"""Dialogs of the app shell; ``prompts.Prompts`` asks the small questions."""
