"""Barcodes the terminal draws: on its screen and on printable label sheets."""

from kiosk.barcodes.blocks import (
    code128_blocks,
    code128_width,
    fitting_code128_blocks,
)
from kiosk.barcodes.code128 import BarcodeTextError, code128_modules
from kiosk.barcodes.raster import blocks_to_image

__all__ = [
    "BarcodeTextError",
    "blocks_to_image",
    "code128_blocks",
    "code128_modules",
    "code128_width",
    "fitting_code128_blocks",
]
