"""A door closed with nothing seen inside: reopen it, or leave."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Static

from kiosk.workflows import views


class EmptyCloseScreen(Vertical):
    """Asks whether to open the door again; no delivery is reported yet."""

    def __init__(self) -> None:
        """An empty screen; `update` names the door."""
        super().__init__(id="empty-close", classes="view")

    def compose(self) -> ComposeResult:
        """The question and its two answers."""
        yield Static("", id="message", classes="title error")
        reopen = Button("Open the door again (R)", id="reopen", variant="primary")
        finish = Button("Finish without delivering (Enter)", id="key-enter")
        for button in (reopen, finish):
            button.can_focus = False
            with Center():
                yield button

    def update(self, view: views.EmptyCloseView) -> None:
        """Name the door."""
        self.query_one("#message", Static).update(
            f"Door {view.door} closed, but no package was seen inside."
        )
