"""A person's preferences: theme and key overrides, in `$XDG_CONFIG_HOME/mlfolio/config.toml`.

The file (default `~/.config/mlfolio/config.toml`) is read when the dashboard
starts::

    theme = "textual-light"

    [keymap]
    "move.forward" = "F"          # a binding id (see `?`) = comma-separated keys
    "ranking.pessimistic" = "ctrl+r"

A bad file never stops the dashboard: it starts with its defaults and says,
in one line, which file, line and key is wrong. A theme chosen in the app
(the palette's theme picker) is written back atomically, keeping the rest of
the file as it was. Sessions served to others (`mlfolio serve`, `mlfolio
web`: marked by `MLFOLIO_SERVED` / `MLFOLIO_WEB` in their environment) never
read or write the file: it belongs to whoever runs the server. Read-only
sessions read it but never write it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.text import plain

if TYPE_CHECKING:
    from textual.app import App

SERVED_MARKERS = ("MLFOLIO_SERVED", "MLFOLIO_WEB")
"""Environment variables set in a dashboard served to someone else: no preferences there."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the file says: a theme name (or None) and keys per binding id."""

    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)


class PreferencesError(ValueError):
    """A bad preferences file, as one line naming the file, the line and the key."""


def config_path(env: Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME/mlfolio/config.toml`, or `~/.config/mlfolio/config.toml`."""
    base = env.get("XDG_CONFIG_HOME") or ""
    root = (
        Path(base) if os.path.isabs(base) else Path(env.get("HOME", "~")).expanduser() / ".config"
    )
    return root / "mlfolio" / "config.toml"


def served(env: Mapping[str, str]) -> bool:
    """Whether this dashboard is served to someone else (serve or web)."""
    return any(env.get(name) for name in SERVED_MARKERS)


def _line_of(text: str, key: str) -> int:
    """The line (1-based) where `key` is assigned, or 1 when it cannot be found."""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=', re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def parse(text: str, path: Path, binding_ids: Iterable[str], themes: Iterable[str]) -> Preferences:
    """The preferences in `text`; raises PreferencesError naming file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", 1)
        column = getattr(error, "colno", 1)
        message = getattr(error, "msg", str(error))
        raise PreferencesError(f"{path}:{line}:{column}: not valid TOML: {message}") from None

    def refuse(key: str, shown: str, why: str) -> PreferencesError:
        return PreferencesError(f"{path}:{_line_of(text, key)}: {shown}: {why}")

    for key in data:
        if key not in ("theme", "keymap"):
            raise refuse(key, key, "unknown setting (theme and [keymap] are known)")
    theme = data.get("theme")
    if theme is not None:
        known = sorted(themes)
        if not isinstance(theme, str) or theme not in known:
            raise refuse("theme", "theme", f"no theme {theme!r} (one of {', '.join(known)})")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise refuse("keymap", "keymap", "must be a table of binding id = keys")
    ids = set(binding_ids)
    for binding_id, keys in keymap.items():
        if binding_id not in ids:
            raise refuse(binding_id, f"keymap.{binding_id}", "no binding has this id (see ?)")
        if not isinstance(keys, str) or not keys.strip():
            raise refuse(binding_id, f"keymap.{binding_id}", 'give the keys as text, e.g. "F"')
    return Preferences(theme, dict(keymap))


def with_theme(text: str, theme: str) -> str:
    """`text` with its top-level `theme = ...` set to `theme`, the rest kept as it was."""
    line = f'theme = "{theme}"'
    assignment = re.compile(r"^theme\s*=.*$", re.MULTILINE)
    table = re.search(r"^\s*\[", text, re.MULTILINE)
    head = text[: table.start()] if table else text
    if assignment.search(head):
        return assignment.sub(line, head, count=1) + text[len(head) :]
    return f"{line}\n{text}"


def attach(app: App[Any], env: Mapping[str, str], *, read_only: bool, ids: Iterable[str]) -> str:
    """Apply the preferences file to `app` and save later theme changes; the error line or "".

    Served sessions are left alone entirely; read-only ones never write.
    """
    if served(env):
        return ""
    path = config_path(env)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        return f"{path}: cannot be read ({error}); using the defaults"
    problem = ""
    try:
        preferences = parse(text, path, ids, app.available_themes)
    except PreferencesError as error:
        preferences, problem = Preferences(), f"{plain(str(error))}; using the defaults"
    if preferences.theme is not None:
        app.theme = preferences.theme
    if preferences.keymap:
        app.set_keymap(dict(preferences.keymap))
    if not read_only and not problem:

        def save_theme(theme: object) -> None:
            name = getattr(theme, "name", None)
            if not isinstance(name, str) or name == preferences_theme[0]:
                return
            preferences_theme[0] = name
            # Imported here, on the first theme change: the first frame needs no file module.
            from portfolio.errors import SaveError
            from portfolio.save import write_atomic

            try:
                current = path.read_text(encoding="utf-8") if path.exists() else ""
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, with_theme(current, name).encode("utf-8"))
            except (OSError, SaveError):
                return  # preferences are a convenience: never an error in the middle of work

        preferences_theme = [app.theme]
        app.theme_changed_signal.subscribe(app, save_theme)
    return problem
