"""The Edit tab: editing a flow's draft (``edit_tab.EditTab`` is the entry point)."""
