"""The full-screen terminal app: shows the workflow's views, hands in key presses.

Outside simulator mode no key quits it: the app has no inherited bindings and no
command palette. Errors in its own work are logged, never shown as a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.events import Key
from textual.widget import Widget
from textual.widgets import Button, Input

from kiosk.runtime import Terminal
from kiosk.ui.sim_panel import SimPanel
from kiosk.ui.views.code_entry import CodeEntryScreen
from kiosk.ui.views.done import DoneScreen
from kiosk.ui.views.door_open import DoorOpenScreen
from kiosk.ui.views.empty_close import EmptyCloseScreen
from kiosk.ui.views.home import HomeScreen
from kiosk.ui.views.message import ErrorScreen, WorkingScreen
from kiosk.workflows import messages as m
from kiosk.workflows import views

log = logging.getLogger("kiosk.ui")

_KEYS = {"enter": "enter", "backspace": "backspace", "escape": "cancel"}


class KioskApp(App[None], inherit_bindings=False):
    """The Locker Access Terminal's screen."""

    CSS_PATH = "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False
    # Keys belong to the workflow; nothing takes focus unless a person asks.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("f2", "toggle_simulator", "Simulator", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    SIMULATOR_ACTIONS = frozenset({"toggle_simulator", "quit"})

    def __init__(
        self,
        terminal: Terminal,
        *,
        title: str,
        simulator_socket: Path | None = None,
        doors: list[str] | None = None,
        console_profile: bool = False,
    ) -> None:
        """An app showing `terminal`; a simulator socket adds the panel."""
        super().__init__()
        self.terminal = terminal
        self.title = title
        self._socket = simulator_socket
        self._doors = doors or []
        self._console = console_profile
        self._latest: object | None = None
        self._showing = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Only simulator mode may quit or show the simulator."""
        if action in self.SIMULATOR_ACTIONS:
            return self._socket is not None
        return True

    def compose(self) -> ComposeResult:
        """The body, and the simulator panel in simulator mode."""
        yield Container(id="body")
        if self._socket is not None:
            yield SimPanel(self._socket, self._doors)

    async def on_mount(self) -> None:
        """Start the terminal and show its first view."""
        if self._console:
            self.screen.add_class("console")
        self.terminal.subscribe(self.show)
        if self.terminal.wedge is not None:
            self.terminal.wedge.on_typed = self._typed_keys
        await self.terminal.start()
        self.show(self.terminal.view)
        self.set_interval(1.0, self._refresh_status)

    def _typed_keys(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            self.typed(key)

    def _refresh_status(self) -> None:
        for home in self.query(HomeScreen):
            home.show_status(self.terminal.status())

    async def on_unmount(self) -> None:
        """Stop the terminal's tasks and close its hardware."""
        await self.terminal.stop()

    def show(self, view: object) -> None:
        """Put `view` on the screen; views that arrive together are shown in turn."""
        self._latest = view
        if not self._showing:
            self._showing = True
            self.call_later(self._show_latest)

    async def _show_latest(self) -> None:
        # One swap at a time: a widget is fully removed before the next mounts.
        try:
            while self._latest is not None:
                view, self._latest = self._latest, None
                body = self.query_one("#body", Container)
                current = body.children[0] if body.children else None
                if current is None or not _fits(current, view):
                    await body.remove_children()
                    current = _widget_for(view, self)
                    await body.mount(current)
                current.update(view)  # type: ignore[attr-defined]
        except Exception:
            log.exception("could not show %r", self._latest)
        finally:
            self._showing = False

    def on_key(self, event: Key) -> None:
        """Turn a key into a workflow event, unless the simulator panel has it.

        With a keyboard-wedge scanner every key goes through its decoder first,
        which hands a person's typing back to `typed` and a scan to the terminal.
        """
        if isinstance(self.focused, Input):
            return
        event.stop()
        name = event.character if event.is_printable and event.character else event.key
        if self.terminal.wedge is not None:
            self.terminal.wedge.key(name)
        else:
            self.typed(name)

    def typed(self, key: str) -> None:
        """A key a person pressed: what it means depends on the screen."""
        if isinstance(self.terminal.view, views.HomeView):
            if key in ("enter", "d"):
                self.terminal.dispatch(m.StartDelivery())
            return
        if isinstance(self.terminal.view, views.DoorOpenView):
            if key == "o":
                self.terminal.dispatch(m.OtherDoor())
            elif key in ("f", "enter"):
                self.terminal.finish()
            elif key == "n":
                self.terminal.dispatch(m.DidNotOpen())
            return
        if isinstance(self.terminal.view, views.EmptyCloseView) and key == "r":
            self.terminal.dispatch(m.Reopen())
            return
        name = _KEYS.get(key, key)
        if name in _KEYS.values() or (len(name) == 1 and name.isdigit()):
            self.terminal.dispatch(m.Key(name))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Taps on the screen's own buttons."""
        button_id = event.button.id or ""
        if button_id == "deliver":
            self.terminal.dispatch(m.StartDelivery())
        elif button_id == "other-door":
            self.terminal.dispatch(m.OtherDoor())
        elif button_id == "finish":
            self.terminal.finish()
        elif button_id == "did-not-open":
            self.terminal.dispatch(m.DidNotOpen())
        elif button_id == "reopen":
            self.terminal.dispatch(m.Reopen())
        elif button_id.startswith("key-"):
            self.terminal.dispatch(m.Key(button_id.removeprefix("key-")))

    def action_toggle_simulator(self) -> None:
        """Show or hide the simulator panel."""
        panel = self.query_one(SimPanel)
        panel.toggle_class("visible")
        scan = panel.query_one(Input)
        scan.disabled = not panel.has_class("visible")
        if panel.has_class("visible"):
            scan.focus()
            panel.refresh_doors()
        else:
            self.set_focus(None)


def _fits(widget: Widget, view: object) -> bool:
    if isinstance(view, views.DoorOpenView):
        return isinstance(widget, DoorOpenScreen) and widget.door == view.door
    return isinstance(widget, _SCREENS.get(type(view), ()))


def _widget_for(view: object, app: KioskApp) -> Widget:
    if isinstance(view, views.HomeView):
        return HomeScreen(app.title, app.terminal.location)
    if isinstance(view, views.DoorOpenView):
        return DoorOpenScreen(view)
    screen = _SCREENS.get(type(view))
    if screen is None:
        log.error("no screen for %r", view)
        return HomeScreen(app.title, app.terminal.location)
    widget: Widget = screen()
    return widget


_SCREENS: dict[type, type] = {
    views.HomeView: HomeScreen,
    views.CodeEntryView: CodeEntryScreen,
    views.WorkingView: WorkingScreen,
    views.DoorOpenView: DoorOpenScreen,
    views.DoneView: DoneScreen,
    views.ErrorView: ErrorScreen,
    views.EmptyCloseView: EmptyCloseScreen,
}
