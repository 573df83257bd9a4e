"""Screens that only say something: work under way, or what went wrong."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.workflows import views


class WorkingScreen(Vertical):
    """Something is under way."""

    def __init__(self) -> None:
        """An empty working screen."""
        super().__init__(id="working", classes="view")

    def compose(self) -> ComposeResult:
        """One line of text."""
        yield Static("", id="message", classes="title")

    def update(self, view: views.WorkingView) -> None:
        """Say what is happening."""
        self.query_one("#message", Static).update(view.message)


class ErrorScreen(Vertical):
    """Something stopped the person; say what to do next."""

    def __init__(self) -> None:
        """An empty error screen."""
        super().__init__(id="error", classes="view")

    def compose(self) -> ComposeResult:
        """The message and how to go on."""
        yield Static("", id="message", classes="title error")
        yield Static("Press Enter to return to the start.", classes="hint")

    def update(self, view: views.ErrorView) -> None:
        """Show the message."""
        self.query_one("#message", Static).update(view.message)
