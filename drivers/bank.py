"""A locker bank: door names mapped onto the boards of one or more lock buses.

The bank is what the terminal talks to. It knows that door ``"A1"`` is channel
3 of board 0 on bus ``"main"``, reads each board once per sweep, and keeps a
board that does not answer from stopping the rest: its doors read as unknown
and are out of service until it answers again. Opening the bank never pulses a
lock.

A board that does not answer costs its bus a full timeout (and its retries)
every time it is asked, and live doors on that bus wait behind it. So it gets
a back-off of its own: it is probed less and less often (doubling up to a
ceiling, forever), after the live boards of a sweep, and a probe gives way at
once to an unlock or a read-back of a live door on the same bus.
"""

from __future__ import annotations

import asyncio
import functools
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


@dataclass
class _Backoff:
    """A board that stopped answering: how often it failed, when to ask next."""

    failures: int
    next_probe: float


class _Preempted(Exception):
    """A probe of a silent board gave way to a live door's command."""


class LockBank:
    """Doors by name over several lock buses.

    Args:
        buses: Lock buses by name; they may be of different families.
        doors: Each door's address, as a `DoorAddress` or a
            ``(bus, board, channel)`` tuple.
        probe_after: Seconds before a board that stopped answering is first
            asked again; the wait doubles after each failed probe.
        probe_max: The longest wait between probes of a silent board.

    Raises:
        ValueError: A door names a bus that is not given.
    """

    def __init__(
        self,
        buses: Mapping[str, LockBus],
        doors: Mapping[str, DoorAddress | tuple[str, int, int]],
        *,
        probe_after: float = 1.0,
        probe_max: float = 30.0,
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
        self.probe_after = probe_after
        self.probe_max = probe_max
        self._silent: dict[tuple[str, int], _Backoff] = {}
        self._probes: dict[str, set[asyncio.Task[tuple[ChannelState, ...]]]] = {}
        for door, address in self.doors.items():
            self._by_board.setdefault((address.bus, address.board), []).append(door)
        self._by_channel = {
            (address.bus, address.board, address.channel): door
            for door, address in self.doors.items()
        }
        self._out_of_service: set[str] = set()
        self._bus_errors: dict[str, str] = {}
        self._on_change: ChangeCallback | None = None
        for name, bus in self.buses.items():
            # Boards that report changes unasked update their doors at once.
            bus.listen(functools.partial(self._reported, name))

    @property
    def out_of_service(self) -> frozenset[str]:
        """Doors whose board did not answer at its last read or probe."""
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
        self._preempt(address.bus)
        await self.buses[address.bus].unlock(address.board, address.channel)

    def senses(self, door: str) -> bool:
        """Whether the door's state can be read at all (False behind a plain relay).

        Where it cannot, `unlock_and_confirm` can only ever return False: the
        pulse went out, unconfirmed.
        """
        return self.buses[self._address(door).bus].senses_doors

    def silent_boards(self) -> dict[tuple[str, int], float]:
        """Boards that stopped answering, with seconds until each is asked again."""
        now = asyncio.get_running_loop().time()
        return {
            key: max(0.0, backoff.next_probe - now)
            for key, backoff in self._silent.items()
        }

    def _preempt(self, bus_name: str) -> None:
        """Make probes of silent boards on this bus give way to a live door."""
        for probe in self._probes.get(bus_name, set()):
            probe.cancel()

    async def _probe(self, bus_name: str, board: int) -> tuple[ChannelState, ...]:
        """Read a silent board in a task that a live door's command may cancel.

        Raises:
            DeviceError: The board still does not answer.
            _Preempted: The probe gave way before it was answered.
        """
        task = asyncio.create_task(self.buses[bus_name].read_board(board))
        probes = self._probes.setdefault(bus_name, set())
        probes.add(task)
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            await asyncio.wait({task})
            raise
        finally:
            probes.discard(task)
        if task.cancelled():
            raise _Preempted
        return task.result()

    async def _read_board(self, bus_name: str, board: int) -> bool:
        """Read one board and apply what it said; False if a probe gave way."""
        key = (bus_name, board)
        try:
            if key in self._silent:
                states: tuple[ChannelState, ...] | None = await self._probe(
                    bus_name, board
                )
            else:
                states = await self.buses[bus_name].read_board(board)
        except _Preempted:
            return False
        except DeviceError as exc:
            self._failed(key, exc)
            states = None
        else:
            if self._silent.pop(key, None) is not None:
                _log.warning("bus %s board %d answers again", bus_name, board)
        # Applied at once, in bus order: a sweep that waited for the bus
        # behind an unlock must not later overwrite the fresher read-back.
        for door in self._by_board.get(key, ()):
            self._apply(door, self.doors[door], states)
        return True

    def _failed(self, key: tuple[str, int], exc: DeviceError) -> None:
        now = asyncio.get_running_loop().time()
        backoff = self._silent.get(key)
        if backoff is None:
            # Said once when it goes quiet, not on every probe after.
            _log.warning("bus %s board %d: %s", key[0], key[1], exc)
            backoff = self._silent[key] = _Backoff(0, now)
        delay = min(self.probe_after * 2**backoff.failures, self.probe_max)
        backoff.failures += 1
        backoff.next_probe = now + delay

    async def _sweep_bus(self, bus_name: str, boards: list[int]) -> None:
        """Read the live boards, then probe the silent ones that are due."""
        now = asyncio.get_running_loop().time()
        due = []
        for board in boards:
            backoff = self._silent.get((bus_name, board))
            if backoff is None:
                await self._read_board(bus_name, board)
            elif backoff.next_probe <= now:
                due.append(board)
        for board in due:
            if not await self._read_board(bus_name, board):
                # It gave way to a live door; the rest wait for the next sweep.
                break

    def _apply(
        self, door: str, address: DoorAddress, states: tuple[ChannelState, ...] | None
    ) -> ChannelState:
        if states is None or address.channel > len(states):
            self._out_of_service.add(door)
            state = UNKNOWN_STATE
        else:
            self._out_of_service.discard(door)
            state = states[address.channel - 1]
        self._observe(door, state)
        return state

    def _observe(self, door: str, state: ChannelState) -> None:
        before = self.states[door]
        self.states[door] = state
        if state != before and self._on_change is not None:
            # Every read reports what it saw, so a door that opened and shut
            # again between two sweeps is not missed by the watcher.
            try:
                self._on_change(door, before, state)
            except Exception:
                _log.exception("door change callback failed for %s", door)

    def _reported(
        self, bus_name: str, board: int, channel: int, state: ChannelState
    ) -> None:
        """A board told of a change unasked: the door's state, now."""
        door = self._by_channel.get((bus_name, board, channel))
        if door is None:
            return
        backoff = self._silent.get((bus_name, board))
        if backoff is not None:
            # It talks again: ask it at the next sweep rather than later.
            backoff.next_probe = asyncio.get_running_loop().time()
        self._observe(door, state)

    async def read_all(self) -> dict[str, ChannelState]:
        """Read every board once (buses in parallel) and return every door's state."""
        wanted: dict[str, set[int]] = {}
        for address in self.doors.values():
            wanted.setdefault(address.bus, set()).add(address.board)
        await asyncio.gather(
            *(self._sweep_bus(name, sorted(boards)) for name, boards in wanted.items())
        )
        return dict(self.states)

    async def read_door(self, door: str) -> ChannelState:
        """Read the board of one door now and return that door's state.

        Probes of silent boards on the same bus give way to it.
        """
        address = self._address(door)
        self._preempt(address.bus)
        await self._read_board(address.bus, address.board)
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
