"""Working offline on a copy of a team workspace: taking it, syncing, conflicts."""
