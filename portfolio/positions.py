"""Where each key of a TOML document starts, so error messages can point into the file.

tomli returns values without positions. When a file fails validation, this
small scanner makes a second pass over the text and maps every key path (as
pydantic spells locations: `("projects", 3, "title")`) to the 1-based line and
column where it is written. It runs only on the error path, assumes the text is
TOML that tomli already accepted, and never builds values.

What it understands: `[table]` and `[[array.of.tables]]` headers (counting the
entries of each array per enclosing entry), `key = value` with dotted and quoted
keys, inline tables and arrays (also multi-line, with comments and trailing
commas as TOML 1.1 allows) whose entries and keys it records too, and every
string form, so that nothing inside a string or comment is taken for a key.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import tomli

KeyPath = tuple[str | int, ...]
"""A path to a value: table keys as strings, array indices as ints."""

Position = tuple[int, int]
"""A 1-based (line, column), columns counted in characters."""

_BARE_KEY_END = frozenset(" \t\r\n=.[]{},#\"'")
_SCALAR_END = frozenset(",]}#\r\n")
_NEWLINE = re.compile("\n")


def key_positions(text: str) -> dict[KeyPath, Position]:
    """Map every table, array entry and key in `text` to where it first appears.

    A table declared by a header maps to the header's `[`; a key to its first
    character (each part of a dotted key to that part); an array entry to its
    first character, or to its `[[` header for an array of tables.
    """
    return _Scanner(text).scan()


def locate(positions: dict[KeyPath, Position], path: Sequence[str | int]) -> Position:
    """The position of `path`, or of its nearest enclosing entry that is written in the file.

    A missing key thus points at the table that should hold it; a path with
    nothing of it in the file points at the start of the file.
    """
    for end in range(len(path), 0, -1):
        found = positions.get(tuple(path[:end]))
        if found is not None:
            return found
    return (1, 1)


class _Scanner:
    """A single forward pass over TOML text that records positions as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[KeyPath, Position] = {}
        self.array_lengths: dict[KeyPath, int] = {}
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def scan(self) -> dict[KeyPath, Position]:
        """Walk the whole document: headers switch the current table, the rest are key/values."""
        table: KeyPath = ()
        while self.skip_blank(newlines=True):
            start = self.pos
            if self.text.startswith("[[", start):
                self.pos += 2
                table = self.header(start, array=True)
            elif self.text[start] == "[":
                self.pos += 1
                table = self.header(start, array=False)
            else:
                self.key_value(table)
        return self.found

    # -- positions -------------------------------------------------------

    def mark(self, path: KeyPath, pos: int) -> None:
        """Record `path` at `pos` unless it was seen earlier (the first mention wins)."""
        if path not in self.found:
            line = bisect_right(self.line_starts, pos) - 1
            self.found[path] = (line + 1, pos - self.line_starts[line] + 1)

    def resolve(self, path: KeyPath) -> KeyPath:
        """Step into the latest entry when `path` names an array of tables."""
        length = self.array_lengths.get(path)
        return path if length is None else (*path, length - 1)

    # -- structure -------------------------------------------------------

    def header(self, start: int, *, array: bool) -> KeyPath:
        """Read a `[a.b]` or `[[a.b]]` header and return the table path it opens."""
        names = [name for name, _ in self.keys()]
        self.skip_blank(newlines=False)
        self.pos += 2 if array else 1  # the closing bracket(s)
        path: KeyPath = ()
        for name in names[:-1]:
            path = self.resolve((*path, name))
            self.mark(path, start)
        path = (*path, names[-1])
        if array:
            index = self.array_lengths.get(path, 0)
            self.array_lengths[path] = index + 1
            self.mark(path, start)
            path = (*path, index)
        self.mark(path, start)
        return path

    def key_value(self, table: KeyPath) -> None:
        """Read `dotted.key = value`, recording each part of the key and the value's insides."""
        path = table
        for name, pos in self.keys():
            path = (*path, name)
            self.mark(path, pos)
        self.skip_blank(newlines=False)
        self.pos += 1  # the '='
        self.skip_blank(newlines=False)
        self.value(path)

    def keys(self) -> list[tuple[str, int]]:
        """Read a possibly dotted key: each part's name and where it starts."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip_blank(newlines=False)
            start = self.pos
            char = self.text[start]
            if char == '"':
                self.pos = self.basic_string_end(start)
                name = _decode_basic(self.text[start : self.pos])
            elif char == "'":
                self.pos = self.text.index("'", start + 1) + 1
                name = self.text[start + 1 : self.pos - 1]
            else:
                while self.pos < len(self.text) and self.text[self.pos] not in _BARE_KEY_END:
                    self.pos += 1
                name = self.text[start : self.pos]
            parts.append((name, start))
            self.skip_blank(newlines=False)
            if not self.text.startswith(".", self.pos):
                return parts
            self.pos += 1

    def value(self, path: KeyPath) -> None:
        """Skip over one value, descending into arrays and inline tables."""
        text, start = self.text, self.pos
        if text.startswith('"""', start):
            self.pos = self.multiline_end(start, '"')
        elif text.startswith("'''", start):
            self.pos = self.multiline_end(start, "'")
        elif text[start] == '"':
            self.pos = self.basic_string_end(start)
        elif text[start] == "'":
            self.pos = text.index("'", start + 1) + 1
        elif text[start] == "[":
            self.array(path)
        elif text[start] == "{":
            self.inline_table(path)
        else:
            while self.pos < len(text) and text[self.pos] not in _SCALAR_END:
                self.pos += 1

    def array(self, path: KeyPath) -> None:
        """Read `[v, v, ...]`, recording each entry as `path + (index,)`."""
        self.pos += 1
        index = 0
        while self.skip_blank(newlines=True) and self.text[self.pos] != "]":
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            self.mark((*path, index), self.pos)
            self.value((*path, index))
            index += 1
        self.pos += 1

    def inline_table(self, path: KeyPath) -> None:
        """Read `{ k = v, ... }`, recording its keys under `path`."""
        self.pos += 1
        while self.skip_blank(newlines=True) and self.text[self.pos] != "}":
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            self.key_value(path)
        self.pos += 1

    # -- lexical ---------------------------------------------------------

    def skip_blank(self, *, newlines: bool) -> bool:
        """Skip spaces, tabs and comments (and line breaks if asked); say whether text remains."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return True
        return False

    def basic_string_end(self, start: int) -> int:
        """The index just past the one-line basic string opening at `start`."""
        i = start + 1
        while self.text[i] != '"':
            i += 2 if self.text[i] == "\\" else 1
        return i + 1

    def multiline_end(self, start: int, quote: str) -> int:
        """The index just past the multi-line string opening at `start` with `quote` * 3.

        Up to two quotes right before the closing three belong to the content,
        and in basic strings a backslash escapes the character after it.
        """
        text, closing = self.text, quote * 3
        i = start + 3
        while not text.startswith(closing, i):
            i += 2 if quote == '"' and text[i] == "\\" else 1
        end = i + 3
        while end - i < 5 and text.startswith(quote, end):
            end += 1
        return end


def _decode_basic(literal: str) -> str:
    """The value of a quoted basic-string key, escapes and all, decoded exactly as tomli does."""
    return str(tomli.loads(f"k = {literal}")["k"])
