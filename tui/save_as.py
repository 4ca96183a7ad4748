"""Save as (`W`): the portfolio written to another file inside its own folder, through the gate.

The name typed is resolved against the portfolio's folder (never the
process's working folder), and must stay inside it; `portfolio.gate` refuses
links on the way and anything but a portfolio of ours to replace. Replacing a
file is asked first, in a dialog that names it. In a served session the
portfolio's folder is the served folder, so an SSH user can write nowhere else.
"""

from __future__ import annotations

from typing import Protocol

from portfolio import gate
from tui.dialogs import ConfirmDialog, TextPrompt
from tui.host import Host


class SaveTo(Protocol):
    """Saves the portfolio to a checked target (the app's `Persistence.save_as`)."""

    def __call__(self, target: gate.Target, *, overwrite: bool = False) -> None:
        """Save there; `overwrite` once the user said yes to replacing a portfolio."""
        ...


def ask(host: Host, save: SaveTo) -> None:
    """Ask for a file name in the portfolio's folder, then save there (after asking to replace)."""
    root = host.path.parent

    def chosen(name: str | None) -> None:
        if name:
            choose(host, save, name)

    host.push_screen(
        TextPrompt(
            "Save the portfolio elsewhere",
            f"File name, in {root}:",
            host.path.name,
        ),
        chosen,
    )


def choose(host: Host, save: SaveTo, name: str) -> None:
    """Check `name` with the gate; save to it, or ask first when a portfolio is there."""
    try:
        target = gate.locate(host.path.parent, name)
        existing = gate.read_existing(target)
        if existing is not None:
            gate.check_replaceable(target, "portfolio")
    except gate.GateError as error:
        host.tell(f"not saved: {error}", error=True)
        return
    if existing is None:
        save(target)
        return

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            save(target, overwrite=True)
        else:
            host.tell(f"not saved: {target.path} already exists")

    body = f"{target.path} already exists. Replace it with this portfolio?"
    host.push_screen(ConfirmDialog("File exists", body, "Overwrite (y)"), answered)
