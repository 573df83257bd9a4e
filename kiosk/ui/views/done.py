"""The delivery is recorded: thank the courier and show the reference."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.renderables.digits import DIGITS
from textual.widget import Widget
from textual.widgets import Digits, Static

from kiosk.barcodes.blocks import BarcodeTextError, fitting_code128_blocks
from kiosk.ui.wording import doors_named
from kiosk.workflows import views

# Cells kept free beside the barcode, so that its quiet zone is never the
# screen's last column.
_SIDE_CELLS = 2
# Large digits are three cells wide each.
_BIG_DIGIT_CELLS = 3


class DoneScreen(Vertical):
    """Confirms the delivery with its door and reference."""

    def __init__(self) -> None:
        """An empty confirmation."""
        super().__init__(id="done", classes="view")

    def compose(self) -> ComposeResult:
        """The thanks, the reference, its barcode or the reference large."""
        yield Static("", id="thanks", classes="title")
        yield Static("", id="reference", classes="subtitle")
        with Center():
            yield Static("", id="receipt-barcode", classes="barcode")
        with Center(id="reference-large"):
            yield Digits("", id="reference-digits")
        # Textual's large digits have no letters: a reference with letters, or
        # longer than the digits fit, is shown bold when its barcode has no room.
        yield Static("", id="reference-bold", classes="big-fallback")
        yield Static("Press Enter to finish.", classes="hint")

    def update(self, view: views.DoneView) -> None:
        """Name the door and the package."""
        thanks = f"Thank you. The package is delivered into door {view.door}."
        if view.also_close:
            thanks += f" Please close {doors_named(view.also_close)} too."
        self.query_one("#thanks", Static).update(thanks)
        columns = self._columns()
        try:
            # Dark bars on a light ground, as scanners and phone cameras expect.
            blocks = fitting_code128_blocks(view.reference, columns, rows=5)
            why = "its barcode is too wide for this screen"
        except BarcodeTextError:
            blocks = None
            why = "it cannot be drawn as a barcode"

        barcode = self.query_one("#receipt-barcode", Static)
        # As plain text, not content: leading spaces are the quiet zone.
        barcode.update(Text(blocks or "", no_wrap=True, overflow="crop"))
        barcode.display = blocks is not None

        reference = self.query_one("#reference", Static)
        digits = self.query_one("#reference-digits", Digits)
        bold = self.query_one("#reference-bold", Static)
        large = blocks is None and _fits_in_digits(view.reference, columns)
        self.query_one("#reference-large", Center).display = large
        bold.display = blocks is None and not large
        if blocks is not None:
            reference.update(f"Reference {view.reference}")
            return
        # No barcode: say so, and show the reference large enough to copy.
        reference.update(f"Reference ({why}):")
        digits.update(view.reference.upper() if large else "")
        bold.update(Text(view.reference))

    def _columns(self) -> int:
        """The cells across that the barcode may use."""
        container = self.parent
        width = container.size.width if isinstance(container, Widget) else 0
        return (width or self.app.size.width) - _SIDE_CELLS


def _fits_in_digits(text: str, columns: int) -> bool:
    """Whether Textual's large digits can draw the text within `columns`."""
    fits = len(text) * _BIG_DIGIT_CELLS <= columns
    return fits and all(character in DIGITS for character in text.upper())
