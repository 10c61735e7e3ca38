"""Small shared builders for widgets the windows, pages and dialogs all make the same way."""
