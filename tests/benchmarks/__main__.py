"""``python -m tests.benchmarks [--quick]``: see run.py."""

import sys

from tests.benchmarks.run import main

sys.exit(main())
