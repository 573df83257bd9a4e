"""Block-character barcodes drawn as a picture, as a screen would show them.

This is how a test (or a screenshot) checks that the characters of
`code128_blocks` really make a barcode that a decoder can read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

# Which halves of a cell each block character inks: (left, right).
_HALVES = {
    " ": (False, False),
    "▐": (False, True),
    "▌": (True, False),
    "█": (True, True),
}


def blocks_to_image(
    blocks: str,
    *,
    cell_width: int = 8,
    cell_height: int = 16,
    margin: int = 16,
    inverted: bool = False,
) -> Image:
    """Rasterise block-character text the way a terminal draws it.

    Args:
        blocks: Lines of block characters and spaces.
        cell_width: Pixels per character cell across; even, so that each half
            block covers whole pixels.
        cell_height: Pixels per character cell down.
        margin: Pixels of background around the text.
        inverted: Draw light glyphs on a dark background (a light-on-dark
            terminal) instead of dark on light.

    Returns:
        A greyscale image.

    Raises:
        ValueError: On a character other than a space or a block, or an odd
            cell width.
    """
    from PIL import Image as PILImage
    from PIL import ImageDraw

    if cell_width % 2:
        raise ValueError("cell_width must be even")
    ink, paper = (255, 0) if inverted else (0, 255)
    lines = blocks.split("\n")
    width = max(len(line) for line in lines) * cell_width + 2 * margin
    height = len(lines) * cell_height + 2 * margin
    image = PILImage.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)

    half = cell_width // 2
    for row, line in enumerate(lines):
        top = margin + row * cell_height
        for column, char in enumerate(line):
            if char not in _HALVES:
                raise ValueError(f"not a block character: {char!r}")
            left = margin + column * cell_width
            for side, inked in enumerate(_HALVES[char]):
                if inked:
                    x0 = left + side * half
                    draw.rectangle(
                        (x0, top, x0 + half - 1, top + cell_height - 1), fill=ink
                    )
    return image
