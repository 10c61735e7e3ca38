"""The Runtime window: customers and their cards, segments, events and the clock of the
workspace's local runtime (the rehearsal data flows run against)."""
