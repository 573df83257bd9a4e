"""The delivery is recorded: thank the courier and show the reference."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Static

from kiosk.barcodes.blocks import BarcodeTextError, code128_blocks
from kiosk.workflows import views


class DoneScreen(Vertical):
    """Confirms the delivery with its door and reference."""

    def __init__(self) -> None:
        """An empty confirmation."""
        super().__init__(id="done", classes="view")

    def compose(self) -> ComposeResult:
        """The thanks and the reference."""
        yield Static("", id="thanks", classes="title")
        yield Static("", id="reference", classes="subtitle")
        with Center():
            yield Static("", id="receipt-barcode", classes="barcode")
        yield Static("Press Enter to finish.", classes="hint")

    def update(self, view: views.DoneView) -> None:
        """Name the door and the package."""
        self.query_one("#thanks", Static).update(
            f"Thank you. The package is delivered into door {view.door}."
        )
        self.query_one("#reference", Static).update(f"Reference {view.reference}")
        barcode = self.query_one("#receipt-barcode", Static)
        try:
            # Dark bars on a light ground, as scanners and phone cameras expect.
            blocks = code128_blocks(view.reference, rows=5)
        except BarcodeTextError:
            blocks = ""
        width = max((len(line) for line in blocks.splitlines()), default=0)
        # A barcode cut by the screen's edge would scan wrong or not at all.
        barcode.display = 0 < width <= self.app.size.width - 2
        # As plain text, not content: leading spaces are the quiet zone.
        barcode.update(Text(blocks, no_wrap=True, overflow="crop"))
