"""The receipt screen's barcode, read off the screen's own cells by zxing-cpp."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Container
from textual.widgets import Digits, Static

import kiosk.ui
from kiosk.barcodes import blocks_to_image, code128_blocks, fitting_code128_blocks
from kiosk.ui.views.done import DoneScreen
from kiosk.workflows import views
from tests.barcodes.decoding import decode

UPS = "1Z5R89390357567127"
USPS = "9400111206206406260787"
FEDEX = "986578788855"


class Receipt(App[None]):
    """The receipt screen alone, in the terminal's own stylesheet."""

    CSS_PATH = str(Path(kiosk.ui.__file__).parent / "kiosk.tcss")

    def compose(self) -> ComposeResult:
        yield Container(id="body")

    async def show(self, view: views.DoneView) -> DoneScreen:
        screen = DoneScreen()
        await self.query_one("#body").mount(screen)
        screen.update(view)
        return screen


def _screen_cells(app: App[None], widget: Static) -> str:
    """The characters the screen shows where the widget is."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    lines = [strip.text for strip in strips[region.y : region.bottom]]
    return "\n".join(line[region.x : region.right] for line in lines)


async def _receipt(size: tuple[int, int], reference: str) -> tuple[str | None, str]:
    """The barcode cells on screen (None when hidden) and the screen's text."""
    app = Receipt()
    async with app.run_test(size=size) as pilot:
        screen = await app.show(views.DoneView("A1", reference))
        await pilot.pause()
        barcode = screen.query_one("#receipt-barcode", Static)
        cells = _screen_cells(app, barcode) if barcode.display else None
        everything = "\n".join(s.text for s in app.screen._compositor.render_strips())
        return cells, everything + "\n" + "\n".join(_large_digits(screen))


def _large_digits(screen: DoneScreen) -> list[str]:
    """The values shown in Textual's large digits."""
    if not screen.query_one("#reference-large").display:
        return []
    return [str(digits.value) for digits in screen.query(Digits)]


@pytest.mark.parametrize("reference", [FEDEX, "DLV-000123", "000123450000000027"])
async def test_at_80x24_the_receipt_barcode_reads_off_the_screen(
    reference: str,
) -> None:
    cells, _ = await _receipt((80, 24), reference)

    assert cells is not None
    assert decode(blocks_to_image(cells)) == [reference]


@pytest.mark.parametrize("reference", [UPS, USPS])
async def test_a_wider_screen_shows_long_tracking_numbers(reference: str) -> None:
    cells, _ = await _receipt((100, 30), reference)

    assert cells is not None
    assert decode(blocks_to_image(cells)) == [reference]


async def test_a_wide_screen_draws_whole_cell_modules() -> None:
    cells, _ = await _receipt((200, 40), FEDEX)

    assert cells is not None
    assert set(cells) <= {" ", "█", "\n"}
    assert decode(blocks_to_image(cells)) == [FEDEX]


@pytest.mark.parametrize("reference", [UPS, USPS, "1001921334250001000300779017972697"])
async def test_at_80x24_a_barcode_too_wide_is_replaced_by_large_text(
    reference: str,
) -> None:
    # A UPS 1Z symbol alone is 167 modules: 84 cells even at two modules a
    # cell, more than 80 columns hold.
    cells, text = await _receipt((80, 24), reference)

    assert cells is None
    assert "too wide for this screen" in text
    assert reference in text


async def test_a_long_all_digit_reference_is_shown_in_large_digits() -> None:
    app = Receipt()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await app.show(views.DoneView("A1", USPS))
        await pilot.pause()

        assert _large_digits(screen) == [USPS]


async def test_a_reference_that_is_no_barcode_is_said_so() -> None:
    cells, text = await _receipt((120, 30), "café-42")

    assert cells is None
    assert "cannot be drawn as a barcode" in text
    assert "café-42" in text


def test_fitting_picks_whole_cells_then_half_cells_then_nothing() -> None:
    whole = code128_blocks(FEDEX, rows=1, modules_per_cell=1)
    half = code128_blocks(FEDEX, rows=1)

    assert fitting_code128_blocks(FEDEX, len(whole), rows=1) == whole
    assert fitting_code128_blocks(FEDEX, len(whole) - 1, rows=1) == half
    assert fitting_code128_blocks(FEDEX, len(half) - 1, rows=1) is None
    assert len(code128_blocks(UPS, rows=1)) == 94


@pytest.mark.parametrize("reference", [FEDEX, UPS, "990042"])
def test_whole_cell_modules_decode(reference: str) -> None:
    blocks = code128_blocks(reference, rows=4, modules_per_cell=1)

    assert decode(blocks_to_image(blocks, cell_width=4, cell_height=16)) == [reference]
