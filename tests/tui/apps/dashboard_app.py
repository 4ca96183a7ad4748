"""The real dashboard over a copy of the example, with a fixed clock, for snapshots and looks.

Run it directly to see what the snapshot tests see:
`python tests/tui/apps/dashboard_app.py`; give a file name to write the
README's SVG screenshot instead: `python tests/tui/apps/dashboard_app.py docs/screenshot.svg`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from factories import EXAMPLE, fixed_clock

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app


def make_app(source: Path = EXAMPLE) -> MlfolioApp:
    """The app over a private copy of `source` named portfolio.toml; no disk polling."""
    folder = Path(tempfile.mkdtemp(prefix="mlfolio-snapshot-"))
    path = folder / "portfolio.toml"
    shutil.copyfile(source, path)
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


async def save_screenshot(target: Path, size: tuple[int, int] = (160, 48)) -> None:
    """Write an SVG of the opening screen (the README's picture)."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        app.save_screenshot(filename=target.name, path=str(target.parent))


if __name__ == "__main__":
    import asyncio
    import sys

    if len(sys.argv) > 1:
        asyncio.run(save_screenshot(Path(sys.argv[1])))
    else:
        make_app().run()
