"""Field types shared by the request models, bounded so no input can break storage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints


def _storable(value: str) -> str:
    # JSON may carry lone UTF-16 surrogates, which SQLite cannot encode.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


def _plausible_time(value: datetime) -> datetime:
    # Bounded so that every stored time converts back to ISO-8601.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not 1970 <= year <= 9000:
        raise ValueError("must be between the years 1970 and 9000")
    return value


Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100, strip_whitespace=True),
    AfterValidator(_storable),
]
"""A required identifier: non-blank, at most 100 characters."""

Text = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_storable)]
"""Free text, possibly empty, at most 1000 characters."""

Count = Annotated[int, Field(ge=0, le=1_000_000)]
"""A non-negative count small enough to store."""

Timestamp = Annotated[datetime, AfterValidator(_plausible_time)]
"""An ISO-8601 time; one without an offset is taken as UTC."""
