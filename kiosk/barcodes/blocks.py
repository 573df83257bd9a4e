"""Code 128 drawn with block characters, for a barcode on the terminal's screen.

The bars come from python-barcode's own Code 128 encoding, as checked in
`kiosk.barcodes.code128`. Each module (the narrowest bar or space) is half a
character cell wide: a cell holds two modules, drawn as a full block, a left or
right half block, or a space. Cells on a terminal are about twice as tall as
wide, so a few rows give bars tall enough for a hand scanner or a phone camera.

The blocks are the ink: shown dark on a light background (as the receipt
screen styles its barcode) they are the bars. On a light-on-dark terminal pass
``inverted=True``, which draws the spaces and the quiet zone instead.
"""

from __future__ import annotations

from kiosk.barcodes.code128 import BarcodeTextError, code128_modules

# Index: (left module dark) * 2 + (right module dark).
_CELLS = (" ", "▐", "▌", "█")

QUIET_MODULES = 10
"""Code 128 needs a quiet zone of at least 10 modules on each side."""

DEFAULT_ROWS = 8
"""Eight rows of cells are about as tall as 32 modules are wide."""


def code128_blocks(
    text: str,
    *,
    rows: int = DEFAULT_ROWS,
    quiet_modules: int = QUIET_MODULES,
    inverted: bool = False,
) -> str:
    """A Code 128 barcode of the text as lines of block characters.

    Args:
        text: ASCII text to encode, e.g. a delivery reference.
        rows: How many lines tall the bars are.
        quiet_modules: The quiet zone on each side, in modules.
        inverted: Draw the spaces instead of the bars, for light-on-dark
            display.

    Returns:
        ``rows`` identical lines joined by newlines, each
        ``(len(modules) + 2 * quiet_modules + 1) // 2`` characters wide.

    Raises:
        BarcodeTextError: If the text cannot be encoded in Code 128.
        ValueError: If rows is less than 1 or quiet_modules is negative.
    """
    if rows < 1 or quiet_modules < 0:
        raise ValueError("rows must be at least 1 and quiet_modules not negative")

    quiet = "0" * quiet_modules
    modules = quiet + code128_modules(text) + quiet
    if len(modules) % 2:
        # An odd count leaves half a cell over: one more module of quiet zone.
        modules += "0"
    ink = "0" if inverted else "1"

    line = "".join(
        _CELLS[(modules[i] == ink) * 2 + (modules[i + 1] == ink)]
        for i in range(0, len(modules), 2)
    )
    return "\n".join([line] * rows)


__all__ = ["BarcodeTextError", "code128_blocks", "code128_modules"]
