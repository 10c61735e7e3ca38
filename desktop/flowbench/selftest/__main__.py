"""``python -m flowbench.selftest`` runs the self-test without the command line."""

from flowbench.selftest import main

main()
