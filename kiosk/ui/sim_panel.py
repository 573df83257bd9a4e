"""The simulator panel: plays the physical world from inside the terminal.

It is a client of the simulator's control socket, like `kiosk sim`; it never
touches the simulated devices directly. Tap a door to open or close it; type a
barcode and press Enter to scan it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Input, Static

from kiosk.sim.control import SimulatorUnavailable, request


class SimPanel(Vertical):
    """Doors to open and close, and a scanner to scan with."""

    def __init__(self, socket: Path, doors: list[str]) -> None:
        """A panel for the simulator on `socket` with these `doors`."""
        super().__init__(id="sim-panel")
        self._socket = socket
        self._doors = doors
        self._open: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        """The door grid, the scan field and a status line."""
        yield Static("Simulator  (F2 hides)", classes="panel-title")
        yield Static(
            "Tap a door to pull it open; tap an open door to put a package in"
            " and shut it.",
            classes="hint",
        )
        with Grid(id="sim-doors"):
            for door in self._doors:
                button = Button(door, id=f"sim-door-{door}", classes="sim-door")
                button.can_focus = False
                yield button
        # Disabled while the panel is hidden, so it can never take the keys.
        yield Input(placeholder="barcode, then Enter", id="sim-scan", disabled=True)
        yield Static("", id="sim-status")

    def on_mount(self) -> None:
        """Keep the door grid up to date."""
        self.set_interval(0.5, self.refresh_doors)

    @work(exclusive=True, group="sim-status")
    async def refresh_doors(self) -> None:
        """Ask the simulator for every door's state."""
        if not self.display:
            return
        answer = await self._ask({"op": "status"})
        if answer is None:
            return
        for door, state in answer.get("doors", {}).items():
            self._open[door] = bool(state.get("open"))
            button = self.query(f"#sim-door-{door}")
            if button:
                widget = button.first(Button)
                widget.label = f"{door} {'open' if state.get('open') else 'shut'}"
                widget.set_class(bool(state.get("open")), "is-open")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """Open a shut door, close an open one."""
        button_id = event.button.id or ""
        if not button_id.startswith("sim-door-"):
            return
        event.stop()
        door = button_id.removeprefix("sim-door-")
        op = "close" if self._open.get(door) else "open"
        if op == "close":
            # The courier's hand: the package goes in before the door shuts.
            await self._ask({"op": "put", "door": door})
        answer = await self._ask({"op": op, "door": door})
        if answer is not None and op == "open" and not answer.get("open"):
            self._say(f"Door {door} is locked: it does not open.")
        self.refresh_doors()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Scan what was typed."""
        event.stop()
        if event.value:
            if await self._ask({"op": "scan", "data": event.value}) is not None:
                self._say(f"Scanned {event.value}")
            event.input.value = ""

    async def _ask(self, message: dict[str, Any]) -> dict[str, Any] | None:
        try:
            answer = await request(self._socket, message, timeout=2.0)
        except SimulatorUnavailable as error:
            self._say(str(error))
            return None
        if not answer.get("ok"):
            self._say(str(answer.get("error")))
            return None
        return dict(answer)

    def _say(self, text: str) -> None:
        self.query_one("#sim-status", Static).update(text)
