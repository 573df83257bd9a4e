"""Small pieces of wording the screens share."""

from __future__ import annotations

from collections.abc import Sequence


def doors_named(doors: Sequence[str]) -> str:
    """ "door B4", or "doors B4 and B2", or "doors B4, B2 and A1"."""
    if len(doors) == 1:
        return f"door {doors[0]}"
    return "doors " + ", ".join(doors[:-1]) + f" and {doors[-1]}"
