"""A locker bank: door names mapped onto the boards of one or more lock buses.

The bank is what the terminal talks to. It knows that door ``"A1"`` is channel
3 of board 0 on bus ``"main"``, reads each board once per sweep, and keeps a
board that does not answer from stopping the rest: its doors read as unknown
and are out of service until it answers again. Opening the bank never pulses a
lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from drivers.base import (
    UNKNOWN_STATE,
    ChannelState,
    DeviceError,
    DoorSensor,
    Health,
    LockBus,
    LockState,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DoorAddress:
    """Where a door's lock is wired: bus name, board address, channel from 1."""

    bus: str
    board: int
    channel: int


ChangeCallback = Callable[[str, ChannelState, ChannelState], None]
"""Called with (door, state before, state now) for every observed change."""


class LockBank:
    """Doors by name over several lock buses.

    Args:
        buses: Lock buses by name; they may be of different families.
        doors: Each door's address, as a `DoorAddress` or a
            ``(bus, board, channel)`` tuple.

    Raises:
        ValueError: A door names a bus that is not given.
    """

    def __init__(
        self,
        buses: Mapping[str, LockBus],
        doors: Mapping[str, DoorAddress | tuple[str, int, int]],
    ) -> None:
        self.buses = dict(buses)
        self.doors: dict[str, DoorAddress] = {}
        for door, where in doors.items():
            address = where if isinstance(where, DoorAddress) else DoorAddress(*where)
            if address.bus not in self.buses:
                raise ValueError(f"door {door!r} is on unknown bus {address.bus!r}")
            self.doors[door] = address
        self.states: dict[str, ChannelState] = dict.fromkeys(self.doors, UNKNOWN_STATE)
        self._by_board: dict[tuple[str, int], list[str]] = {}
        self._silent: set[tuple[str, int]] = set()
        for door, address in self.doors.items():
            self._by_board.setdefault((address.bus, address.board), []).append(door)
        self._out_of_service: set[str] = set()
        self._bus_errors: dict[str, str] = {}
        self._on_change: ChangeCallback | None = None

    @property
    def out_of_service(self) -> frozenset[str]:
        """Doors whose board did not answer at the last read."""
        return frozenset(self._out_of_service)

    async def open(self) -> None:
        """Open every bus. A bus that fails is noted in `health`, not raised.

        A dead board or a missing adapter at start-up must not stop the
        terminal starting; the buses reopen themselves on the next read.
        """
        for name, bus in self.buses.items():
            try:
                await bus.open()
            except DeviceError as exc:
                _log.warning("lock bus %s: %s", name, exc)
                self._bus_errors[name] = str(exc)
            else:
                self._bus_errors.pop(name, None)

    async def close(self) -> None:
        """Close every bus; safe to call twice."""
        for bus in self.buses.values():
            await bus.close()

    def health(self) -> dict[str, Health]:
        """Each bus's last known health, by bus name."""
        return {name: bus.health() for name, bus in self.buses.items()}

    def _address(self, door: str) -> DoorAddress:
        try:
            return self.doors[door]
        except KeyError:
            raise KeyError(f"no door {door!r} in this bank") from None

    async def unlock(self, door: str) -> None:
        """Pulse one door's lock. Raises `DeviceError` if it could not be sent."""
        address = self._address(door)
        await self.buses[address.bus].unlock(address.board, address.channel)

    async def _read_boards(self, bus_name: str, boards: list[int]) -> None:
        bus = self.buses[bus_name]
        for board in boards:
            try:
                states: tuple[ChannelState, ...] | None = await bus.read_board(board)
            except DeviceError as exc:
                if (bus_name, board) not in self._silent:
                    # Said once when it goes quiet, not on every sweep after.
                    _log.warning("bus %s board %d: %s", bus_name, board, exc)
                    self._silent.add((bus_name, board))
                states = None
            else:
                if (bus_name, board) in self._silent:
                    _log.warning("bus %s board %d answers again", bus_name, board)
                    self._silent.discard((bus_name, board))
            # Applied at once, in bus order: a sweep that waited for the bus
            # behind an unlock must not later overwrite the fresher read-back.
            for door in self._by_board.get((bus_name, board), ()):
                self._apply(door, self.doors[door], states)

    def _apply(
        self, door: str, address: DoorAddress, states: tuple[ChannelState, ...] | None
    ) -> ChannelState:
        if states is None or address.channel > len(states):
            self._out_of_service.add(door)
            state = UNKNOWN_STATE
        else:
            self._out_of_service.discard(door)
            state = states[address.channel - 1]
        before = self.states[door]
        self.states[door] = state
        if state != before and self._on_change is not None:
            # Every read reports what it saw, so a door that opened and shut
            # again between two sweeps is not missed by the watcher.
            try:
                self._on_change(door, before, state)
            except Exception:
                _log.exception("door change callback failed for %s", door)
        return state

    async def read_all(self) -> dict[str, ChannelState]:
        """Read every board once (buses in parallel) and return every door's state."""
        wanted: dict[str, set[int]] = {}
        for address in self.doors.values():
            wanted.setdefault(address.bus, set()).add(address.board)
        await asyncio.gather(
            *(
                self._read_boards(name, sorted(boards))
                for name, boards in wanted.items()
            )
        )
        return dict(self.states)

    async def read_door(self, door: str) -> ChannelState:
        """Read the board of one door and return that door's state."""
        address = self._address(door)
        await self._read_boards(address.bus, [address.board])
        return self.states[door]

    async def watch(self, on_change: ChangeCallback, interval: float = 0.25) -> None:
        """Poll the bank until cancelled, calling back on every observed change.

        Changes seen by any read while watching are reported, including the
        read-back of `unlock_and_confirm`. The first sweep reports every door
        whose state is known, as a change from unknown. A failing callback is
        logged and polling goes on.
        """
        self._on_change = on_change
        try:
            while True:
                await self.read_all()
                await asyncio.sleep(interval)
        finally:
            self._on_change = None

    async def unlock_and_confirm(
        self,
        door: str,
        timeout: float = 2.0,
        poll: float = 0.1,
    ) -> bool:
        """Pulse a door, then read it back until it shows unlocked or open.

        No acknowledgement is awaited: several boards send none, so the door's
        own sensor is the only proof.

        Returns:
            Whether the door was seen unlocked or open within `timeout`.

        Raises:
            DeviceError: The unlock frame could not be sent.
        """
        await self.unlock(door)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            state = await self.read_door(door)
            if state.lock is LockState.UNLOCKED or state.door is DoorSensor.OPEN:
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await asyncio.sleep(min(poll, remaining))
