"""Typing the access code, on the keypad or the on-screen keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Grid, Vertical
from textual.widgets import Button, Digits, Static

from kiosk.workflows import views

_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "backspace", "0", "enter"]
_LABELS = {"backspace": "⌫", "enter": "OK"}


class CodeEntryScreen(Vertical):
    """The code so far, a message, and keys to tap."""

    def __init__(self) -> None:
        """An empty code entry."""
        super().__init__(id="code-entry", classes="view")

    def compose(self) -> ComposeResult:
        """Lay out the prompt, the code and the keys."""
        yield Static("Type the access code from your delivery note", classes="title")
        with Center():
            yield Digits("", id="code")
        yield Static("", id="message")
        with Center(), Grid(id="keypad"):
            for key in _KEYS:
                button = Button(_LABELS.get(key, key), id=f"key-{key}")
                button.can_focus = False
                # Textual ignores a second click within its press animation;
                # "44" tapped quickly must be two fours.
                button.active_effect_duration = 0
                yield button
        cancel = Button("Cancel", id="key-cancel", variant="error")
        cancel.can_focus = False
        with Center():
            yield cancel

    def update(self, view: views.CodeEntryView) -> None:
        """Show the code typed so far and any message."""
        self.query_one("#code", Digits).update(view.code or " ")
        message = self.query_one("#message", Static)
        message.update(view.message)
        message.set_class(view.error, "error")
