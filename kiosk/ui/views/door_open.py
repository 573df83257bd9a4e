"""A door is open: which one, in large type, and what to do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Static

from kiosk.ui.bigtext import big_text
from kiosk.ui.wording import doors_named
from kiosk.workflows import views


class DoorOpenScreen(Vertical):
    """Names the open door and asks for it to be closed."""

    def __init__(self, view: views.DoorOpenView) -> None:
        """A screen for the door in `view`."""
        super().__init__(id="door-open", classes="view")
        self.door = view.door

    def compose(self) -> ComposeResult:
        """The door's name, large, and the instruction."""
        yield Static("Door", classes="subtitle")
        with Center():
            yield big_text(self.door, classes="door")
        yield Static("", id="instruction", classes="title")
        # Short labels: with the simulator panel beside it, an 80-column
        # console leaves this screen about 40 columns.
        finish = Button("Finish (F)", id="finish")
        other = Button("Too small? Larger door (O)", id="other-door")
        stuck = Button("Door did not open (N)", id="did-not-open")
        for button in (finish, other, stuck):
            button.can_focus = False
            with Center():
                yield button

    def update(self, view: views.DoorOpenView) -> None:
        """Ask to close the door, urgently once the alarm is raised."""
        instruction = self.query_one("#instruction", Static)
        if view.alarm:
            text = f"Please close door {view.door} now."
        elif view.unsure:
            text = (
                f"Door {view.door} should now be open. Put the package in, close"
                " the door, then press Finish. If it did not open, press N."
            )
        else:
            text = (
                f"Door {view.door} is open. Put the package in"
                " and close the door when you are done."
            )
        if view.also_close:
            text += f" Close {doors_named(view.also_close)} too."
        if view.note:
            text += f" {view.note}"
        instruction.update(text)
        self.query_one("#did-not-open", Button).display = view.unsure
        instruction.set_class(view.alarm, "error")
