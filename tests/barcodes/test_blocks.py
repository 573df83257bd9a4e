"""On-screen Code 128 in block characters, read back by zxing-cpp."""

from __future__ import annotations

import pytest
from barcode.codex import Code128
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.barcodes import (
    BarcodeTextError,
    blocks_to_image,
    code128_blocks,
    code128_modules,
)
from tests.barcodes.decoding import decode

REFERENCES = [
    "DLV-000123",
    "COL-7F3K9Q",
    "1Z5R89390357567127",
    "9400111206206406260787",
    "1001921334250001000300779017972697",
    "TBA502887274000",
    "RB123456785GB",
    "a b/c+d",
    "7",
]


@pytest.mark.parametrize("inverted", [False, True])
@pytest.mark.parametrize("reference", REFERENCES)
def test_blocks_decode_back_to_the_reference(reference: str, inverted: bool) -> None:
    blocks = code128_blocks(reference, inverted=inverted)

    image = blocks_to_image(blocks, inverted=inverted)

    assert decode(image) == [reference]


@pytest.mark.parametrize("reference", REFERENCES[:4])
def test_blocks_decode_at_a_small_terminal_font(reference: str) -> None:
    # 6 x 12 pixel cells: a 3-pixel module, as on a small console font.
    blocks = code128_blocks(reference, rows=4)

    image = blocks_to_image(blocks, cell_width=6, cell_height=12)

    assert decode(image) == [reference]


def test_modules_are_python_barcodes_own_encoding() -> None:
    assert code128_modules("DLV-000123") == Code128("DLV-000123").build()[0]


def test_shape_one_module_per_half_cell_with_quiet_zones() -> None:
    modules = code128_modules("DLV-000123")

    lines = code128_blocks("DLV-000123", rows=5, quiet_modules=10).split("\n")

    assert len(lines) == 5
    assert len(set(lines)) == 1
    assert len(lines[0]) == (len(modules) + 20 + 1) // 2
    assert lines[0].startswith(" " * 5) and lines[0].endswith(" " * 5)
    assert set(lines[0]) <= {" ", "▌", "▐", "█"}


def test_inverted_draws_the_quiet_zone() -> None:
    line = code128_blocks("DLV-000123", rows=1, inverted=True)

    assert line.startswith("█" * 5)


def test_default_size_fits_a_receipt_screen() -> None:
    lines = code128_blocks("DLV-000123").split("\n")

    # Eight rows tall (about 16 character widths) and narrower than 80 columns.
    assert len(lines) == 8
    assert len(lines[0]) < 80


@pytest.mark.parametrize("text", ["", "café", "日本"])
def test_text_code_128_cannot_carry_is_refused(text: str) -> None:
    with pytest.raises(BarcodeTextError):
        code128_blocks(text)


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="rows"):
        code128_blocks("A", rows=0)
    with pytest.raises(ValueError, match="even"):
        blocks_to_image("█", cell_width=7)
    with pytest.raises(ValueError, match="block"):
        blocks_to_image("X")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=[chr(c) for c in range(0x20, 0x7F)], min_size=1, max_size=20))
def test_any_printable_ascii_round_trips(reference: str) -> None:
    image = blocks_to_image(code128_blocks(reference))

    assert decode(image) == [reference]
