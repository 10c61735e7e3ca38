"""The runtime's use cases (DESIGN §5), one module each: who may operate the rehearsal
data (access), customers, segments, events, the clock, cards acted on as a customer,
starting and cancelling instances, importing runtime files and the runtime status.
Like every service they check permissions, run one transaction and audit."""
