"""Large type that reads from a step away: Textual's digits where they fit."""

from __future__ import annotations

from textual.renderables.digits import DIGITS
from textual.widget import Widget
from textual.widgets import Digits, Static


def big_text(text: str, *, classes: str = "") -> Widget:
    """A widget showing `text` large: three-line digits if it can, bold if not."""
    if text and all(character in DIGITS for character in text.upper()):
        return Digits(text.upper(), classes=f"big {classes}".strip())
    return Static(text, classes=f"big-fallback {classes}".strip())
