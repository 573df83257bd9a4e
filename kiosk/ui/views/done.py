"""The delivery is recorded: thank the courier and show the reference."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

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
        yield Static("Press Enter to finish.", classes="hint")

    def update(self, view: views.DoneView) -> None:
        """Name the door and the package."""
        self.query_one("#thanks", Static).update(
            f"Thank you. The package is delivered into door {view.door}."
        )
        self.query_one("#reference", Static).update(f"Reference {view.reference}")
