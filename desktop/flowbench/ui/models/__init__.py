"""Qt item models that adapt service results for views."""
