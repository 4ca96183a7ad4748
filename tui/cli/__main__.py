"""`python -m tui.cli`: the headless command line, as `serve` and `web` start their children."""

from tui.cli import main

raise SystemExit(main())
