"""Code 128 values that python-barcode 0.16.1 gets wrong still render right."""

from __future__ import annotations

import pytest
from barcode.codex import Code128
from barcode.writer import ImageWriter
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.barcodes import blocks_to_image, code128_blocks
from kiosk.barcodes.code128 import (
    BarcodeTextError,
    Code128Symbol,
    code128_values,
    read_values,
)
from kiosk.barcodes.sheets import Sheet, item_for, sheet_images, sheet_svgs
from tests.barcodes.decoding import decode, rasterise_svg

# Values starting with the digit pair 99, which python-barcode folds into the
# start code (its issue #251), and neighbours that it gets right.
LEADING_99 = [
    "999757",
    "99123456",
    "9999",
    "99",
    "990",
    "9901",
    "99A",
    "99-1",
    "999",
    "9999999999",
    "99000000000000000017",
    "0099",
    "A99",
]


def test_python_barcode_still_drops_the_leading_99() -> None:
    # If this fails, python-barcode is fixed: the correction below is idle.
    assert read_values(Code128("999757").encoded) == "9757"


@pytest.mark.parametrize("text", LEADING_99)
def test_values_read_back_as_the_text(text: str) -> None:
    assert read_values(code128_values(text)) == text


@pytest.mark.parametrize("text", LEADING_99)
def test_screen_blocks_decode_to_the_text(text: str) -> None:
    image = blocks_to_image(code128_blocks(text))

    assert decode(image) == [text]


@pytest.mark.parametrize("text", LEADING_99)
def test_python_barcode_writer_draws_the_corrected_symbol(text: str) -> None:
    symbol = Code128Symbol(text, writer=ImageWriter())

    image = symbol.render({"module_width": 0.254, "dpi": 300})

    assert decode(image) == [text]


def test_sheet_pages_decode_to_values_starting_99() -> None:
    sheet = Sheet("t", "T", tuple(item_for(v, f"code {v}") for v in LEADING_99[:8]))

    from_png = [text for image in sheet_images(sheet) for text in decode(image)]
    from_svg = [t for doc in sheet_svgs(sheet) for t in decode(rasterise_svg(doc))]

    assert sorted(from_png) == sorted(LEADING_99[:8])
    assert sorted(from_svg) == sorted(LEADING_99[:8])


def test_values_that_are_not_text_are_not_read() -> None:
    assert read_values([]) is None
    assert read_values([12, 34]) is None
    # FNC1 in code set C.
    assert read_values([105, 102, 12]) is None


@pytest.mark.parametrize("text", ["", "café", "ñ"])
def test_text_that_is_not_plain_ascii_is_refused(text: str) -> None:
    with pytest.raises(BarcodeTextError):
        code128_values(text)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789", min_size=1, max_size=24),
        st.text(alphabet="9", min_size=1, max_size=3).flatmap(
            lambda head: st.text(alphabet="0123456789AZaz-", max_size=20).map(
                lambda tail: head + tail
            )
        ),
        st.text(alphabet=[chr(c) for c in range(0x20, 0x7F)], min_size=1, max_size=24),
    )
)
def test_any_digits_or_mixed_text_round_trips(text: str) -> None:
    assert read_values(code128_values(text)) == text
    assert decode(blocks_to_image(code128_blocks(text))) == [text]
