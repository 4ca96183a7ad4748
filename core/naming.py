"""Project ids from titles: readable slugs that never collide."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_ID = 64


def slugify(title: str) -> str:
    """A lower-case slug: 'Invoice OCR (EU)' -> 'invoice-ocr-eu' ('project' if nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:48].rstrip("-") or "project"


def free_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is not taken yet."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"[:MAX_ID]
