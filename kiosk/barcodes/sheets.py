"""Printable A4 sheets of barcodes, drawn by python-barcode's own writers.

A technician prints these to test a real scanner at a real bank: every
pre-advised package, door and SKU of a location, each as a barcode with its
value printed under it and a caption saying what it is. SVG pages come from
python-barcode's SVG writer, PNG pages from its image writer; a PDF is the
PNG pages bound together by Pillow.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.barcodes.code128 import BarcodeTextError, Code128Symbol, code128_modules
from kiosk.scan.checkdigits import gs1_mod10

if TYPE_CHECKING:
    from PIL.Image import Image

SVG_NS = "http://www.w3.org/2000/svg"

PAGE_MM = (210.0, 297.0)
MARGIN_MM = 12.0
TITLE_MM = 14.0
COLUMNS = 2
CELL_MM = ((PAGE_MM[0] - 2 * MARGIN_MM) / COLUMNS, 44.0)
ROWS = int((PAGE_MM[1] - 2 * MARGIN_MM - TITLE_MM) // CELL_MM[1])
PER_PAGE = ROWS * COLUMNS

# 10 mil (0.254 mm) modules are easy for any scanner and are exactly 3 pixels
# at 300 dpi; long values get narrower modules, down to the floor below.
MODULE_MM = 0.254
MIN_MODULE_MM = 0.17
BAR_HEIGHT_MM = 15.0
DPI = 300


class Symbol(StrEnum):
    """The barcode types a sheet prints."""

    CODE128 = "code128"
    EAN13 = "ean13"


class Format(StrEnum):
    """The file formats sheets are written in."""

    SVG = "svg"
    PNG = "png"
    PDF = "pdf"


@dataclass(frozen=True)
class LabelItem:
    """One barcode on a sheet."""

    value: str
    """What the barcode encodes."""

    caption: str
    """What it is, printed above the barcode."""

    symbol: Symbol = Symbol.CODE128


@dataclass(frozen=True)
class Sheet:
    """A titled set of barcodes, written as one or more pages."""

    name: str
    """File name stem, e.g. ``packages``."""

    title: str
    """Printed at the top of every page."""

    items: tuple[LabelItem, ...]


def item_for(value: str, caption: str) -> LabelItem:
    """A label item, as EAN-13 when the value is a valid EAN-13.

    Args:
        value: What the barcode encodes.
        caption: What it is.

    Returns:
        The item.

    Raises:
        BarcodeTextError: If the value cannot be encoded in Code 128.
    """
    if len(value) == 13 and value.isdigit() and gs1_mod10(value[:12]) == int(value[12]):
        return LabelItem(value, caption, Symbol.EAN13)
    code128_modules(value)
    return LabelItem(value, caption)


def pages(sheet: Sheet) -> list[tuple[LabelItem, ...]]:
    """The sheet's items split into pages."""
    return [
        sheet.items[start : start + PER_PAGE]
        for start in range(0, len(sheet.items), PER_PAGE)
    ]


def _position(index: int) -> tuple[float, float]:
    """Top-left corner, in mm, of the cell of the index-th item on a page."""
    row, column = divmod(index, COLUMNS)
    return (
        MARGIN_MM + column * CELL_MM[0],
        MARGIN_MM + TITLE_MM + row * CELL_MM[1],
    )


def _options(item: LabelItem) -> dict[str, Any]:
    """python-barcode writer options that fit the item in its cell."""
    if item.symbol is Symbol.EAN13:
        module = 0.33
        modules = 95
    else:
        modules = len(code128_modules(item.value))
        module = MODULE_MM
    # The quiet zone is 10 modules a side, as Code 128 requires.
    module = max(MIN_MODULE_MM, min(module, (CELL_MM[0] - 8) / (modules + 20)))
    # The value printed under the bars must not be wider than the symbol: a
    # monospaced glyph is about 0.6 em, and a point is 0.3528 mm.
    width_mm = (modules + 20) * module
    points = min(9.0, width_mm / (0.6 * 0.3528 * len(item.value)))
    return {
        "module_width": module,
        "module_height": BAR_HEIGHT_MM,
        "quiet_zone": 10 * module,
        "font_size": int(points),
        "text_distance": 4,
        "dpi": DPI,
    }


def _symbol(item: LabelItem, writer: Any) -> Any:
    """The python-barcode object for the item."""
    from barcode.ean import EAN13

    if item.symbol is Symbol.EAN13:
        return EAN13(item.value, writer=writer)
    return Code128Symbol(item.value, writer=writer)


def sheet_svgs(sheet: Sheet) -> list[str]:
    """The sheet as SVG documents, one per page.

    Args:
        sheet: The sheet.

    Returns:
        Each page as SVG text, A4, in millimetres.
    """
    from barcode.writer import SVGWriter

    ET.register_namespace("", SVG_NS)
    documents = []
    for number, items in enumerate(pages(sheet), start=1):
        root = ET.Element(
            f"{{{SVG_NS}}}svg",
            {"version": "1.1", "width": f"{PAGE_MM[0]}mm", "height": f"{PAGE_MM[1]}mm"},
        )
        ET.SubElement(
            root,
            f"{{{SVG_NS}}}rect",
            {"width": "100%", "height": "100%", "fill": "white"},
        )
        _svg_text(root, MARGIN_MM, MARGIN_MM + 6, _heading(sheet, number), 14)
        for index, item in enumerate(items):
            x, y = _position(index)
            _svg_text(root, x, y + 4, item.caption, 9)
            options = {**_options(item), "compress": False}
            rendered = _symbol(item, SVGWriter()).render(options)
            barcode_svg = ET.fromstring(rendered)
            nested = ET.SubElement(
                root,
                f"{{{SVG_NS}}}svg",
                {
                    "x": f"{x}mm",
                    "y": f"{y + 6}mm",
                    "width": barcode_svg.get("width", "0"),
                    "height": barcode_svg.get("height", "0"),
                },
            )
            nested.extend(list(barcode_svg))
        documents.append(ET.tostring(root, encoding="unicode", xml_declaration=True))
    return documents


def _svg_text(parent: ET.Element, x: float, y: float, text: str, points: int) -> None:
    """Add a line of text at (x, y) mm."""
    element = ET.SubElement(
        parent,
        f"{{{SVG_NS}}}text",
        {
            "x": f"{x}mm",
            "y": f"{y}mm",
            "font-family": "sans-serif",
            "font-size": f"{points}pt",
        },
    )
    element.text = text


def sheet_images(sheet: Sheet) -> list[Image]:
    """The sheet as greyscale images at 300 dpi, one per page.

    Args:
        sheet: The sheet.

    Returns:
        The pages.
    """
    from barcode.writer import ImageWriter
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    def px(mm: float) -> int:
        return round(mm * DPI / 25.4)

    heading_font = ImageFont.load_default(size=px(5))
    caption_font = ImageFont.load_default(size=px(3.2))
    images = []
    for number, items in enumerate(pages(sheet), start=1):
        page = PILImage.new("L", (px(PAGE_MM[0]), px(PAGE_MM[1])), 255)
        draw = ImageDraw.Draw(page)
        draw.text(
            (px(MARGIN_MM), px(MARGIN_MM)), _heading(sheet, number), font=heading_font
        )
        for index, item in enumerate(items):
            x, y = _position(index)
            draw.text((px(x), px(y)), item.caption, font=caption_font)
            image = _symbol(item, ImageWriter()).render(_options(item))
            page.paste(image.convert("L"), (px(x), px(y + 6)))
        images.append(page)
    return images


def _heading(sheet: Sheet, number: int) -> str:
    """The page heading: the title, and the page number when there are more."""
    count = len(pages(sheet))
    return sheet.title if count == 1 else f"{sheet.title} ({number}/{count})"


def write_sheets(
    sheets: list[Sheet], out_dir: Path, formats: set[Format]
) -> list[Path]:
    """Write the sheets' pages to files.

    SVG and PNG pages are written as ``<name>-<page>.svg`` / ``.png``; the PDF
    is one file, ``labels.pdf``, with every page of every sheet. Sheets with no
    items are left out.

    Args:
        sheets: The sheets.
        out_dir: The folder, created if missing.
        formats: Which formats to write.

    Returns:
        The files written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pdf_pages: list[Image] = []
    for sheet in sheets:
        if not sheet.items:
            continue
        if Format.SVG in formats:
            for number, document in enumerate(sheet_svgs(sheet), start=1):
                path = out_dir / f"{sheet.name}-{number}.svg"
                path.write_text(document, encoding="utf-8")
                written.append(path)
        if Format.PNG in formats or Format.PDF in formats:
            images = sheet_images(sheet)
            pdf_pages.extend(images)
            if Format.PNG in formats:
                for number, image in enumerate(images, start=1):
                    path = out_dir / f"{sheet.name}-{number}.png"
                    image.save(path, dpi=(DPI, DPI))
                    written.append(path)

    if Format.PDF in formats and pdf_pages:
        path = out_dir / "labels.pdf"
        buffer = io.BytesIO()
        pdf_pages[0].save(
            buffer, "PDF", save_all=True, append_images=pdf_pages[1:], resolution=DPI
        )
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


__all__ = [
    "BarcodeTextError",
    "Format",
    "LabelItem",
    "Sheet",
    "Symbol",
    "item_for",
    "sheet_images",
    "sheet_svgs",
    "write_sheets",
]
