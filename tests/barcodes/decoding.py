"""Decoding what the project renders with zxing-cpp, an independent decoder.

SVG has no raster for zxing-cpp to read, so `rasterise_svg` draws the filled
rectangles of a sheet (all python-barcode's SVG writer emits for bars) at a
fixed resolution; nested ``svg`` elements offset their children.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image, ImageDraw

SVG = "{http://www.w3.org/2000/svg}"
_MM = re.compile(r"([0-9.]+)mm")


def decode(image: Image.Image) -> list[str]:
    """Every barcode zxing-cpp finds in the image, sorted."""
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def _mm(value: str | None) -> float:
    if value is None:
        return 0.0
    match = _MM.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"expected a length in mm, got {value!r}")
    return float(match.group(1))


def rasterise_svg(document: str, px_per_mm: float = 12.0) -> Image.Image:
    """Draw the black rectangles of an SVG page onto a white image."""
    root = ET.fromstring(document)
    width, height = _mm(root.get("width")), _mm(root.get("height"))
    image = Image.new("L", (round(width * px_per_mm), round(height * px_per_mm)), 255)
    draw = ImageDraw.Draw(image)

    def walk(element: ET.Element, dx: float, dy: float) -> None:
        for child in element:
            if child.tag == f"{SVG}svg":
                walk(child, dx + _mm(child.get("x")), dy + _mm(child.get("y")))
            elif child.tag == f"{SVG}g":
                walk(child, dx, dy)
            elif child.tag == f"{SVG}rect" and "black" in (child.get("style") or ""):
                x = dx + _mm(child.get("x"))
                y = dy + _mm(child.get("y"))
                w, h = _mm(child.get("width")), _mm(child.get("height"))
                draw.rectangle(
                    (
                        round(x * px_per_mm),
                        round(y * px_per_mm),
                        round((x + w) * px_per_mm) - 1,
                        round((y + h) * px_per_mm) - 1,
                    ),
                    fill=0,
                )

    walk(root, 0.0, 0.0)
    return image
