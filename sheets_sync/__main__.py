"""`python -m sheets_sync` is the `sheets-sync` command."""

import sys

from sheets_sync.shell.cli import main

sys.exit(main())
