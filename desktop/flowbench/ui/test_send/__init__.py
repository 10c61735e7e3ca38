"""Test sends from the Edit tab: choose test accounts, run the draft, see their inbox."""
