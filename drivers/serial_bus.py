"""What every request/response lock board on a serial bus has in common.

One request on the bus at a time; stale bytes dropped before each command; an
unlock sent once and never retried, with no wait for an acknowledgement; a
status read retried as a status read after a missing or garbled reply; a port
that vanished reopened on the next command. A board family supplies only its
frames, its reply framing and the meaning of its bits.
"""

from __future__ import annotations

import asyncio
import logging
from abc import abstractmethod
from typing import Generic, TypeVar

from drivers.base import (
    ChannelState,
    DeviceError,
    DoorSensor,
    Health,
    LockBus,
    LockState,
)
from drivers.serialport import Extractor, ReplyTimeout, SerialPort

_log = logging.getLogger(__name__)

LOCKED = ChannelState(LockState.LOCKED, DoorSensor.CLOSED)
"""A channel whose single lock bit says locked: latched, with its door shut."""
UNLOCKED = ChannelState(LockState.UNLOCKED, DoorSensor.OPEN)
"""A channel whose single lock bit says unlocked: the door is open."""


def states_from_bits(
    bits: int, count: int, locked_when_set: bool
) -> tuple[ChannelState, ...]:
    """Channel states from a lock bitmap, bit 0 = channel 1.

    Boards with one bit per lock cannot tell an unlatched door from an open
    one, so the bit speaks for both; `locked_when_set` is the board's polarity.
    """
    return tuple(
        LOCKED if bool(bits >> index & 1) == locked_when_set else UNLOCKED
        for index in range(count)
    )


R = TypeVar("R")
T = TypeVar("T")


class SerialLockBus(LockBus, Generic[R]):
    """A bus of boards of one family behind one serial port.

    Args:
        port: Device path, e.g. ``/dev/locker-bus0``.
        baudrate: Line speed.
        timeout: Seconds to wait for a status reply.
        retries: Extra status reads after a missing or garbled reply.
        unlock_guard: Seconds the bus stays quiet after an unlock before the
            next command, so that a board that acknowledges an unlock has
            finished; its late reply is then flushed, not taken as an answer.
    """

    family = "lock board"
    """Words for messages, e.g. "Kerong CU16"."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int,
        timeout: float,
        retries: int,
        unlock_guard: float,
    ) -> None:
        self._port = SerialPort(port, baudrate=baudrate)
        self.timeout = timeout
        self.retries = retries
        self.unlock_guard = unlock_guard
        self._lock = asyncio.Lock()
        self._quiet_until = 0.0
        self._health = Health(False, f"{port} not opened yet", port)

    # What a family supplies.

    @abstractmethod
    def unlock_frame(self, board: int, channel: int) -> bytes:
        """The bytes that pulse one lock; raise ValueError for a bad address."""

    @abstractmethod
    def status_frame(self, board: int) -> bytes:
        """The bytes that ask one board for its state."""

    @abstractmethod
    def extractor(self, board: int) -> Extractor[R]:
        """A fresh extractor for this board's status reply."""

    @abstractmethod
    def decode(self, board: int, reply: R) -> tuple[ChannelState, ...]:
        """Channel states from a checked reply, channel 1 first."""

    def discard_stale(self) -> None:
        """Drop what arrived between commands. Families with events override it."""
        self._port.flush_input()

    # The common discipline.

    @property
    def port(self) -> str:
        """The device path of the bus."""
        return self._port.port

    @property
    def baudrate(self) -> int:
        """The configured line speed."""
        return self._port.baudrate

    async def open(self) -> None:
        """Open the port. Opening never pulses a lock."""
        try:
            await self._port.open()
        except DeviceError as exc:
            self._health = Health(False, str(exc), self.port)
            raise
        self._health = Health(True, f"{self.port} open", self.port)

    async def close(self) -> None:
        """Close the port; safe to call twice."""
        await self._port.close()

    def health(self) -> Health:
        """The outcome of the last command, or the loss of the port once noticed."""
        lost = self._port.error
        if lost is not None:
            return Health(False, str(lost), self.port)
        return self._health

    async def _prepare(self) -> None:
        # A port lost mid-run (unplugged, then back under its stable name) is
        # reopened here, so the caller's polling is the retry loop.
        if not self._port.is_open:
            await self.open()
        wait = self._quiet_until - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)
        self.discard_stale()

    async def unlock(self, board: int, channel: int) -> None:
        """Send the unlock frame once; never wait for a reply."""
        frame = self.unlock_frame(board, channel)
        async with self._lock:
            try:
                await self._prepare()
                await self._port.write(frame)
            except DeviceError as exc:
                self._health = Health(False, str(exc), self.port)
                raise
            self._quiet_until = asyncio.get_running_loop().time() + self.unlock_guard
        _log.info("unlock board %d channel %d on %s", board, channel, self.port)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Read one board, retrying only the status read."""
        async with self._lock:
            reply = await self.exchange(
                board, self.status_frame(board), self.extractor(board)
            )
            return self.decode(board, reply)

    async def exchange(self, board: int, frame: bytes, extractor: Extractor[T]) -> T:
        """Send a read request and wait for its reply, with retries.

        The caller holds the bus lock. Only requests that change nothing may
        come here: a retry sends the same frame again.
        """
        error = DeviceError(f"{self.family} board {board}: no attempt made")
        for _attempt in range(1 + self.retries):
            try:
                await self._prepare()
                await self._port.write(frame)
                reply = await self._port.read_frame(extractor, self.timeout)
            except ReplyTimeout as exc:
                skipped: list[str] = getattr(extractor, "skipped", [])
                detail = f"; skipped {', '.join(skipped)}" if skipped else ""
                error = DeviceError(
                    f"{self.family} board {board} on {self.port} did not answer "
                    f"within {self.timeout:g} s{detail}"
                )
                error.__cause__ = exc
            except DeviceError as exc:
                error = exc
                if not self._port.is_open:
                    break
            else:
                self._health = Health(
                    True, f"board {board} answered on {self.port}", self.port
                )
                return reply
        self._health = Health(False, str(error), self.port)
        raise error
