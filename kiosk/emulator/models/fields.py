"""Field types shared by the request models, bounded so no input can break storage."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints


def _storable(value: str) -> str:
    # JSON may carry lone UTF-16 surrogates, which SQLite cannot encode.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


MAX_JSON_DEPTH = 8
"""Most objects and arrays a free-form JSON object may nest, itself included."""

MAX_JSON_BYTES = 16_384
"""Most bytes a free-form JSON object may take, encoded compactly as UTF-8."""

# RFC 8259 section 6: integers beyond this lose precision in many JSON readers.
_EXACT_INTEGER = 2**53 - 1


def _check_depth(depth: int) -> None:
    if depth >= MAX_JSON_DEPTH:
        raise ValueError(f"must nest at most {MAX_JSON_DEPTH} levels deep")


def _check_json_value(value: object, depth: int) -> None:
    """Refuse anything a JSON reader could not take back exactly as given."""
    if isinstance(value, dict):
        _check_depth(depth)
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("must have text keys")
            _storable(key)
            _check_json_value(item, depth + 1)
    elif isinstance(value, list):
        _check_depth(depth)
        for item in value:
            _check_json_value(item, depth + 1)
    elif isinstance(value, str):
        _storable(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > _EXACT_INTEGER:
            raise ValueError("must hold integers within plus or minus 2**53 - 1")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must hold finite numbers only, not NaN or Infinity")
    else:
        raise ValueError("must hold JSON values only")


def check_json_object(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object safe to store and to send back.

    Bounded in depth and size, with finite numbers, exact integers and valid
    Unicode text; anything else raises ValueError.
    """
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object")
    _check_json_value(value, 0)
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(encoded.encode("utf-8")) > MAX_JSON_BYTES:
        raise ValueError(f"must take at most {MAX_JSON_BYTES} bytes as JSON")
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

JsonObject = Annotated[dict[str, Any], AfterValidator(check_json_object)]
"""A free-form JSON object, bounded so it stores and reads back as given."""
