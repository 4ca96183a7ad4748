"""Slugs and free ids for new projects."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.models import SLUG_RE
from core.naming import free_id, slugify


def test_slugify_reads_well() -> None:
    assert slugify("Invoice OCR (EU)") == "invoice-ocr-eu"
    assert slugify("Café Crème") == "cafe-creme"
    assert slugify("[@click=app.quit]x[/]") == "click-app-quit-x"
    assert slugify("???") == "project"


def test_free_id_counts_up() -> None:
    assert free_id("fraud", set()) == "fraud"
    assert free_id("fraud", {"fraud", "fraud-2"}) == "fraud-3"


@given(st.text(max_size=200))
def test_slugify_always_gives_a_valid_id(title: str) -> None:
    slug = slugify(title)
    assert SLUG_RE.fullmatch(slug)
    assert SLUG_RE.fullmatch(free_id(slug, {slug}))
