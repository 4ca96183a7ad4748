"""`python -m tui`: the `mlfolio` command, for when its script is not on PATH."""

from tui.cli import main

raise SystemExit(main())
