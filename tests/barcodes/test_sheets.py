"""Label sheets: every barcode in the SVG and PNG files decodes to its value."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from kiosk.barcodes.sheets import (
    PER_PAGE,
    Format,
    Sheet,
    Symbol,
    item_for,
    sheet_images,
    sheet_svgs,
    write_sheets,
)
from tests.barcodes.decoding import decode, rasterise_svg

VALUES = [
    "1Z5R89390357567127",
    "072162",
    "TBA502887274000",
    "9400111206206406260787",
    "1001921334250001000300779017972697",
    "A1",
    "SKU-ROUTER",
    "5012345678900",
    "RB123456785GB",
    "JJD014600003889003612",
    "KON-LONG-REFERENCE-0000000042",
    "313660",
    "D4",
]


def _sheet() -> Sheet:
    return Sheet("test", "Test sheet", tuple(item_for(v, f"item {v}") for v in VALUES))


def test_valid_ean13_is_printed_as_ean13_and_the_rest_as_code128() -> None:
    assert item_for("5012345678900", "x").symbol is Symbol.EAN13
    assert item_for("5012345678901", "x").symbol is Symbol.CODE128
    assert item_for("SKU-1", "x").symbol is Symbol.CODE128


def test_png_pages_decode_to_every_value() -> None:
    images = sheet_images(_sheet())

    found = [text for image in images for text in decode(image)]

    assert len(images) == -(-len(VALUES) // PER_PAGE)
    assert sorted(found) == sorted(VALUES)


def test_svg_pages_decode_to_every_value() -> None:
    documents = sheet_svgs(_sheet())

    found = [text for doc in documents for text in decode(rasterise_svg(doc))]

    assert sorted(found) == sorted(VALUES)


def test_svg_pages_carry_captions_and_title() -> None:
    document = sheet_svgs(_sheet())[0]

    assert "Test sheet (1/2)" in document
    assert "item 1Z5R89390357567127" in document


def test_write_sheets_writes_files_that_decode(tmp_path: Path) -> None:
    written = write_sheets([_sheet()], tmp_path / "out", set(Format))

    names = sorted(path.name for path in written)
    assert names == [
        "labels.pdf",
        "test-1.png",
        "test-1.svg",
        "test-2.png",
        "test-2.svg",
    ]
    from_png = [
        text
        for path in written
        if path.suffix == ".png"
        for text in decode(Image.open(path))
    ]
    from_svg = [
        text
        for path in written
        if path.suffix == ".svg"
        for text in decode(rasterise_svg(path.read_text(encoding="utf-8")))
    ]
    assert sorted(from_png) == sorted(VALUES)
    assert sorted(from_svg) == sorted(VALUES)

    pdf = PdfReader(tmp_path / "out" / "labels.pdf")
    assert len(pdf.pages) == 2
    from_pdf = [
        text
        for page in pdf.pages
        for picture in page.images
        for text in decode(picture.image)
    ]
    assert sorted(from_pdf) == sorted(VALUES)


@pytest.mark.parametrize(("formats", "suffixes"), [({Format.SVG}, {".svg"})])
def test_only_the_asked_formats_are_written(
    tmp_path: Path, formats: set[Format], suffixes: set[str]
) -> None:
    written = write_sheets([_sheet()], tmp_path, formats)

    assert {path.suffix for path in written} == suffixes


def test_empty_sheets_are_left_out(tmp_path: Path) -> None:
    assert write_sheets([Sheet("none", "None", ())], tmp_path, set(Format)) == []
