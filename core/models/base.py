"""The bricks of every model: strict scalar types for user text, scores, measures and
instants, and `Frozen`, the immutable base that refuses unknown keys."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION: Final = 1


# Control characters are refused in every text field (C0, DEL and C1). Notes may
# hold tab and newline; one-line fields may not.
_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
_TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
_SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

# A file's scalars are strict, as docs/format.md states the types: no `true` for
# 1, no "yes" for true, no "0.9" for 0.9, no text (or number) for a date. A whole
# number is still a number (TOML writes 3 and 3.0 differently; both mean 3). Edits
# made in Python (the command line's `set` passes "4") are validated without the
# context and keep pydantic's conversions; the loader passes FROM_FILE.

FROM_FILE: Final = {"from_file": True}
"""The validation context under which every scalar must have its exact TOML type."""

_WANTED: Final = {
    "int_type": (int,),
    "float_type": (int, float),
    "bool_type": (bool,),
    "datetime_type": (datetime,),
}


def _exact(error_type: str) -> BeforeValidator:
    """Under FROM_FILE, refuse a value of another type than the field's (bool never an int)."""
    kinds = _WANTED[error_type]

    def check(value: object, info: ValidationInfo) -> object:
        if not isinstance(info.context, dict) or info.context.get("from_file") is not True:
            return value
        if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
            return value
        raise PydanticCustomError(error_type, "the value has the wrong type")

    return BeforeValidator(check)


Line = Annotated[str, Field(pattern=_LINE_PATTERN, max_length=500)]
"""One line of user text: no control characters at all."""

Text = Annotated[str, Field(pattern=_TEXT_PATTERN, max_length=20_000)]
"""Multi-line user text: tab and newline allowed, other control characters refused."""

Title = Annotated[str, Field(pattern=_LINE_PATTERN, min_length=1, max_length=200)]
"""A project's title: one line, 1 to 200 characters."""

Slug = Annotated[str, Field(pattern=_SLUG_PATTERN, min_length=1, max_length=64)]
"""A project id: lower-case letters, digits, '-' and '_', starting with a letter or digit."""


def _nfc(value: object) -> object:
    """Text in Unicode normal form C, so that two spellings of one name are one name."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Name = Annotated[
    str,
    Field(pattern=_LINE_PATTERN, min_length=1, max_length=80),
    BeforeValidator(_nfc),  # last, so it runs first: the limits apply to the normal form
]
"""A metric, baseline or model name (and a score's key): one line, 1 to 80 characters, NFC."""

Score = Annotated[int, Field(ge=1, le=5), _exact("int_type")]
"""A 1-5 judgement; 5 is always the better end (more impact, more feasible)."""

MEASURE_LIMIT: Final = 1e15
"""The largest magnitude of a score, threshold or margin: far beyond any metric, and far
enough from the float limit that no sum, difference or weighted mean can overflow."""

Measure = Annotated[float, Field(ge=-MEASURE_LIMIT, le=MEASURE_LIMIT), _exact("float_type")]
"""A metric's value (or a bar or margin on it): a finite number within +-1e15."""

WEIGHT_LIMIT: Final = 1000.0
"""The largest weight: weights are relative, and bounded weights cannot sum to infinity."""

Weight = Annotated[float, Field(ge=0.0, le=WEIGHT_LIMIT), _exact("float_type")]
"""A relative weight, 0 to 1000."""

Flag = Annotated[bool, _exact("bool_type")]
"""true or false, never 1, 0 or "yes"."""

EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""The range of dates a portfolio holds: wide for any real project, and far enough
inside Python's datetime range that converting an offset to UTC, or adding
days to a date, can never overflow."""


def _utc(value: datetime) -> datetime:
    """Refuse naive datetimes and dates outside EARLIEST..LATEST; normalise to UTC."""
    if value.tzinfo is None:
        raise ValueError("datetime needs a UTC offset, e.g. 2026-01-31T09:00:00Z")
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment <= LATEST:
        raise ValueError(
            f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC)"
            f" (got {value.isoformat()})"
        )
    return moment


Instant = Annotated[datetime, AfterValidator(_utc), _exact("datetime_type")]


class Frozen(BaseModel):
    """Base for every model: immutable, strict about unknown keys."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


SLUG_RE = re.compile(_SLUG_PATTERN)
