"""`python -m canarykit`."""

import sys

from canarykit.cli.main import main

sys.exit(main())
