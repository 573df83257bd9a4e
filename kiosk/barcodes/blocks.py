"""Code 128 drawn with block characters, for a barcode on the terminal's screen.

The bars come from python-barcode's own Code 128 encoding, as checked in
`kiosk.barcodes.code128`. Each module (the narrowest bar or space) is a whole
character cell wide where the screen has room, and otherwise half a cell: a
cell then holds two modules, drawn as a full block, a left or right half block,
or a space. Cells on a terminal are about twice as tall as wide, so a few rows
give bars tall enough for a hand scanner or a phone camera.

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
    modules_per_cell: int = 2,
) -> str:
    """A Code 128 barcode of the text as lines of block characters.

    Args:
        text: ASCII text to encode, e.g. a delivery reference.
        rows: How many lines tall the bars are.
        quiet_modules: The quiet zone on each side, in modules.
        inverted: Draw the spaces instead of the bars, for light-on-dark
            display.
        modules_per_cell: 2 draws each module as half a cell, with half
            blocks; 1 draws it as a whole cell, twice as wide and easier to
            read from a distance.

    Returns:
        ``rows`` identical lines joined by newlines, each
        ``code128_width(text, quiet_modules, modules_per_cell)`` characters
        wide.

    Raises:
        BarcodeTextError: If the text cannot be encoded in Code 128.
        ValueError: If rows is less than 1, quiet_modules is negative or
            modules_per_cell is neither 1 nor 2.
    """
    if rows < 1 or quiet_modules < 0:
        raise ValueError("rows must be at least 1 and quiet_modules not negative")
    if modules_per_cell not in (1, 2):
        raise ValueError("modules_per_cell must be 1 or 2")

    quiet = "0" * quiet_modules
    modules = quiet + code128_modules(text) + quiet
    ink = "0" if inverted else "1"
    if modules_per_cell == 1:
        line = "".join("█" if module == ink else " " for module in modules)
        return "\n".join([line] * rows)

    if len(modules) % 2:
        # An odd count leaves half a cell over: one more module of quiet zone.
        modules += "0"
    line = "".join(
        _CELLS[(modules[i] == ink) * 2 + (modules[i + 1] == ink)]
        for i in range(0, len(modules), 2)
    )
    return "\n".join([line] * rows)


def code128_width(
    text: str, quiet_modules: int = QUIET_MODULES, modules_per_cell: int = 2
) -> int:
    """How many character cells wide `code128_blocks` draws the text.

    Args:
        text: ASCII text to encode.
        quiet_modules: The quiet zone on each side, in modules.
        modules_per_cell: 1 or 2, as for `code128_blocks`.

    Returns:
        The width in cells.

    Raises:
        BarcodeTextError: If the text cannot be encoded in Code 128.
    """
    modules = len(code128_modules(text)) + 2 * quiet_modules
    return -(-modules // modules_per_cell)


def fitting_code128_blocks(
    text: str, columns: int, *, rows: int = DEFAULT_ROWS, inverted: bool = False
) -> str | None:
    """The widest drawing of the text, quiet zones included, within `columns`.

    Whole-cell modules when they fit, else half-cell modules; None when even
    those do not fit, since a barcode cut at the screen's edge reads wrong or
    not at all.

    Args:
        text: ASCII text to encode.
        columns: The cells available across.
        rows: How many lines tall the bars are.
        inverted: Draw the spaces instead of the bars.

    Returns:
        The lines, as from `code128_blocks`, or None.

    Raises:
        BarcodeTextError: If the text cannot be encoded in Code 128.
    """
    for per_cell in (1, 2):
        if code128_width(text, modules_per_cell=per_cell) <= columns:
            return code128_blocks(
                text, rows=rows, inverted=inverted, modules_per_cell=per_cell
            )
    return None


__all__ = [
    "BarcodeTextError",
    "code128_blocks",
    "code128_modules",
    "code128_width",
    "fitting_code128_blocks",
]
