"""The home screen: what a person sees walking up to the terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Static

from kiosk.ui.wording import doors_named
from kiosk.workflows import views


class HomeScreen(Vertical):
    """Choose what to do."""

    def __init__(self, title: str, location: str) -> None:
        """A home screen for the terminal `title` at `location`."""
        super().__init__(id="home", classes="view")
        self._title = title
        self._location = location

    def compose(self) -> ComposeResult:
        """Lay out the choices."""
        yield Static(self._title, classes="title")
        yield Static(f"Location {self._location}", classes="subtitle")
        deliver = Button("Deliver a package", id="deliver", variant="primary")
        deliver.can_focus = False  # Enter is handled once, by the app
        with Center():
            yield deliver
        yield Static("Press Enter or tap Deliver to start.", classes="hint")
        yield Static("", id="link-status", classes="hint")
        alarm = Static("", id="alarm-status", classes="hint error")
        alarm.display = False  # shown only while a door stands open in alarm
        yield alarm

    def update(self, view: views.HomeView) -> None:
        """Nothing on the home screen depends on the view."""

    def show_status(self, status: dict[str, object]) -> None:
        """Show whether Konnect answers, what waits, and which doors are in alarm."""
        waiting = status.get("waiting", 0)
        if status.get("online") is False:
            text = "Offline: deliveries go on and are sent when the link returns."
            if waiting:
                text += f" {waiting} waiting."
        elif waiting:
            text = f"Online. {waiting} waiting to be sent."
        else:
            text = ""
        silent = status.get("outOfService")
        if isinstance(silent, list) and silent:
            # Whoever walks up should know before typing a code for nothing.
            count = f"{len(silent)} door" + ("s" if len(silent) > 1 else "")
            text = f"{text} {count} out of service.".strip()
        label = self.query_one("#link-status", Static)
        label.update(text)
        label.set_class(status.get("online") is False, "error")
        alarms = status.get("alarms")
        line = alarm_line(alarms if isinstance(alarms, dict) else {})
        alarm = self.query_one("#alarm-status", Static)
        alarm.update(line)
        alarm.display = bool(line)


_ALARM_WORDS = {
    "forced_open": ("was forced open", "were forced open"),
    "left_open": ("has been left open", "have been left open"),
}


def alarm_line(alarms: dict[str, str]) -> str:
    """One line naming the doors in alarm ("Door D3 was forced open.")."""
    sentences = []
    for kind, (one, several) in _ALARM_WORDS.items():
        doors = sorted(door for door, raised in alarms.items() if raised == kind)
        if doors:
            verb = one if len(doors) == 1 else several
            named = doors_named(doors)
            sentences.append(f"{named[0].upper()}{named[1:]} {verb}.")
    return " ".join(sentences)
