"""The simulated physical world: lock boards and a scanner on pseudo-terminals.

The world builds, from the terminal's own configuration, one simulated device for
each configured one, and puts it behind the very port name the terminal opens, as
udev would put a stable name in /dev. The terminal's production drivers then talk
to it byte for byte. People's actions (opening a door, scanning a label) arrive on
a control socket, from the simulator panel or from `kiosk sim`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.sim.keypad import SimSerialKeypad
from drivers.sim.lockers import SimLockBoards
from drivers.sim.pty import PtyHost
from drivers.sim.registry import make_simulated_lock_bus
from drivers.sim.scanner import SimSerialScanner
from kiosk.config import Settings
from kiosk.sim.control import MAX_LINE, encode
from kiosk.single import AlreadyRunning, hold_lock

log = logging.getLogger("kiosk.sim")

FRAMES_KEPT = 200

# The simulated keypad's protocol for each keypad driver name.
_KEYPAD_PROTOCOLS = {"serial-ascii": "ascii", "wiegand-serial": "wiegand-hex"}


class SimulationError(Exception):
    """A person's action that the world cannot carry out."""


@dataclass(frozen=True)
class _Wiring:
    bus: str
    board: int
    channel: int


class World:
    """Every simulated device of one terminal, and its control socket."""

    def __init__(self, settings: Settings) -> None:
        """Plan the devices for `settings`; `start` brings them up."""
        self.settings = settings
        self.buses: dict[str, SimLockBoards] = {}
        self.lines: dict[str, PtyHost] = {}
        self.scanner: SimSerialScanner | None = None
        self._wiring: dict[str, _Wiring] = {}
        self._server: asyncio.Server | None = None
        self._lock: int | None = None
        for bus in settings.lock_buses:
            # The USB HID relay's twin sits behind pyusb's backend, which a world
            # in a process of its own cannot lend the terminal: serial buses only.
            try:
                device = make_simulated_lock_bus(
                    bus.driver, (board.address for board in bus.boards)
                )
            except ValueError as error:
                raise SimulationError(str(error)) from None
            for board in bus.boards:
                # The twin's bits mean what the configuration says they mean.
                polarity = board.locked_when_set
                if polarity is None:
                    polarity = bool(bus.options.get("locked_when_set", True))
                device.board(board.address).locked_when_set = polarity
            self.buses[bus.name] = device
            self.lines[bus.name] = PtyHost(device, link=bus.port)
            for board in bus.boards:
                for channel, door in enumerate(board.doors, start=1):
                    if door:
                        self._wiring[door] = _Wiring(bus.name, board.address, channel)
        self.keypad: SimSerialKeypad | None = None
        keypad = settings.keypad
        if keypad.driver in _KEYPAD_PROTOCOLS and keypad.port:
            self.keypad = SimSerialKeypad(_KEYPAD_PROTOCOLS[keypad.driver])
            self.lines["keypad"] = PtyHost(self.keypad, link=keypad.port)
        scanner = settings.scanner
        if scanner is not None and scanner.port:
            suffix = scanner.options.get("suffix", "CR")
            self.scanner = SimSerialScanner(suffix)
            self.lines["scanner"] = PtyHost(self.scanner, link=scanner.port)

    @property
    def socket_path(self) -> Path:
        """Where the control socket listens."""
        return self.settings.simulator.control_socket

    async def start(self) -> None:
        """Bring every line up and open the control socket.

        Raises:
            SimulationError: another simulated world already uses the devices.
        """
        self.settings.simulator.device_dir.mkdir(parents=True, exist_ok=True)
        if self._lock is None:
            try:
                self._lock = hold_lock(
                    self.settings.simulator.device_dir / "world.lock"
                )
            except AlreadyRunning as error:
                raise SimulationError(str(error)) from None
        for line in self.lines.values():
            if line.link is not None:
                line.link.parent.mkdir(parents=True, exist_ok=True)
            await line.start()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._server = await asyncio.start_unix_server(
            self._serve, str(self.socket_path), limit=MAX_LINE
        )
        log.info("simulated devices up; control socket %s", self.socket_path)

    async def stop(self) -> None:
        """Close the control socket and take every line down."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
            with contextlib.suppress(FileNotFoundError):
                self.socket_path.unlink()
        for line in self.lines.values():
            await line.stop()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    # What people do.

    def open_door(self, door: str, *, force: bool = False) -> bool:
        """Pull a door; it opens if unlatched (or forced). Returns whether open."""
        where = self._where(door)
        return self.buses[where.bus].open_door(where.board, where.channel, force=force)

    def close_door(self, door: str) -> None:
        """Push a door shut."""
        where = self._where(door)
        self.buses[where.bus].close_door(where.board, where.channel)

    def put_item(self, door: str) -> None:
        """Put a package in an open door (its item sensor sees it)."""
        where = self._where(door)
        if not self.buses[where.bus].channel(where.board, where.channel).door_open:
            raise SimulationError(f"door {door} is shut: open it first")
        self.buses[where.bus].put_item(where.board, where.channel)

    def take_item(self, door: str) -> None:
        """Take an open door's contents out."""
        where = self._where(door)
        if not self.buses[where.bus].channel(where.board, where.channel).door_open:
            raise SimulationError(f"door {door} is shut: open it first")
        self.buses[where.bus].remove_item(where.board, where.channel)

    def press(self, keys: str) -> None:
        """Press keys on the simulated keypad: digits, `*` and `#`."""
        if self.keypad is None:
            raise SimulationError("this terminal has no keypad device configured")
        if not all(key in "0123456789*#" for key in keys):
            raise SimulationError("a keypad has only the keys 0-9, * and #")
        self.keypad.press(keys)

    def scan(self, data: bytes) -> None:
        """Scan a label with the simulated scanner."""
        if self.scanner is None:
            raise SimulationError("this terminal has no scanner configured")
        self.scanner.scan(data)

    def status(self) -> dict[str, Any]:
        """Every door's physical state and the frames each bus received."""
        doors = {}
        for door, where in self._wiring.items():
            channel = self.buses[where.bus].channel(where.board, where.channel)
            doors[door] = {
                "open": channel.door_open,
                "latched": channel.latched,
                "item": channel.item,
            }
        frames = {
            name: [
                {"at": frame.at, "hex": frame.data.hex(" ")}
                for frame in line.frames[-FRAMES_KEPT:]
            ]
            for name, line in self.lines.items()
        }
        return {"doors": doors, "frames": frames}

    def _where(self, door: str) -> _Wiring:
        try:
            return self._wiring[door]
        except KeyError:
            known = ", ".join(sorted(self._wiring))
            raise SimulationError(f"no door {door!r}; doors are {known}") from None

    # The control socket.

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while line := await reader.readline():
                writer.write(encode(self._answer(line)))
                await writer.drain()
        except (ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    def _answer(self, line: bytes) -> dict[str, Any]:
        try:
            message = json.loads(line)
            if not isinstance(message, dict):
                raise SimulationError("a request is a JSON object")
            handler = self._handlers().get(str(message.get("op")))
            if handler is None:
                raise SimulationError(f"unknown op {message.get('op')!r}")
            return {"ok": True, **handler(message)}
        except ValueError:
            return {"ok": False, "error": "a request is one JSON object per line"}
        except (SimulationError, KeyError, TypeError) as error:
            return {"ok": False, "error": str(error)}

    def _close_request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.close_door(str(message["door"]))
        return {}

    def _keys_request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.press(str(message["keys"]))
        return {}

    def _item_request(self, message: dict[str, Any]) -> dict[str, Any]:
        door = str(message["door"])
        if message["op"] == "put":
            self.put_item(door)
        else:
            self.take_item(door)
        return {}

    def _scan_request(self, message: dict[str, Any]) -> dict[str, Any]:
        if "hex" in message:
            try:
                data = bytes.fromhex(str(message["hex"]))
            except ValueError:
                raise SimulationError("hex must be pairs of hex digits") from None
        else:
            data = str(message["data"]).encode()
        self.scan(data)
        return {}

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "status": lambda message: self.status(),
            "open": lambda message: {
                "open": self.open_door(
                    str(message["door"]), force=bool(message.get("force"))
                )
            },
            "close": self._close_request,
            "scan": self._scan_request,
            "put": self._item_request,
            "keys": self._keys_request,
            "take": self._item_request,
        }


class WorldThread:
    """Runs a `World` on an event loop of its own, beside the terminal's."""

    def __init__(self, settings: Settings) -> None:
        """Prepare the world; `start` brings it up."""
        self.world = World(settings)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="simulated-world", daemon=True
        )

    def start(self) -> None:
        """Start the thread and wait until every device is up."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.world.start(), self._loop).result(10)

    def stop(self) -> None:
        """Take the world down and end the thread."""
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.world.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def call(self, function: Callable[[], Any]) -> Any:
        """Run `function` on the world's loop and return its result."""

        async def run() -> Any:
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)
