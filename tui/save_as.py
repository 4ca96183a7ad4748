"""Save as (`W`): the portfolio written to another file inside its own folder, through the gate.

The name typed is resolved against the portfolio's folder (never the
process's working folder), and must stay inside it; `portfolio.gate` refuses
links on the way and anything but a portfolio of ours to replace. Replacing a
file is asked first, in a dialog that names it. In a served session the
portfolio's folder is the served folder, so an SSH user can write nowhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portfolio import gate
from tui.dialogs import ConfirmDialog, TextPrompt

if TYPE_CHECKING:
    from tui.dashboard.app import MlfolioApp


def ask(app: MlfolioApp) -> None:
    """Ask for a file name in the portfolio's folder, then save there (after asking to replace)."""
    root = app.path.parent

    def chosen(name: str | None) -> None:
        if name:
            choose(app, name)

    app.push_screen(
        TextPrompt(
            "Save the portfolio elsewhere",
            f"File name, in {root}:",
            app.path.name,
        ),
        chosen,
    )


def choose(app: MlfolioApp, name: str) -> None:
    """Check `name` with the gate; save to it, or ask first when a portfolio is there."""
    try:
        target = gate.locate(app.path.parent, name)
        existing = gate.read_existing(target)
        if existing is not None:
            gate.check_replaceable(target, "portfolio")
    except gate.GateError as error:
        app.tell(f"not saved: {error}", error=True)
        return
    if existing is None:
        app.persistence.save_as(target)
        return

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            app.persistence.save_as(target, overwrite=True)
        else:
            app.tell(f"not saved: {target.path} already exists")

    body = f"{target.path} already exists. Replace it with this portfolio?"
    app.push_screen(ConfirmDialog("File exists", body, "Overwrite (y)"), answered)
