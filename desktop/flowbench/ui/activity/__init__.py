"""The Activity tab: a flow's instances and cards per version, and cancelling on demand."""
