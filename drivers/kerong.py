"""Kerong CU16 lock boards on one RS-485 bus (the 5-byte STX/ETX protocol).

Up to sixteen boards (addresses 0-15) share a bus; each has sixteen locks and,
optionally, sixteen infrared item sensors. The board has one feedback bit per
lock, which is both the latch and the door: the door cannot be closed and the
latch open, so the bit maps to `lock` and `door` together.

Sources disagree on the bit's polarity, so it is a per-board setting:
``locked_when_set=True`` (the default) reads bit 1 as locked and closed.
Commission a bank by opening one door and reading the status back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from drivers.base import (
    ChannelState,
    DeviceError,
    DoorSensor,
    Health,
    ItemSensor,
    LockBus,
    LockState,
)
from drivers.kerong_frames import (
    CHANNELS,
    ReplyExtractor,
    StatusReply,
    status_frame,
    unlock_frame,
)
from drivers.serialport import ReplyTimeout, SerialPort

_log = logging.getLogger(__name__)

_LOCKED = ChannelState(LockState.LOCKED, DoorSensor.CLOSED)
_UNLOCKED = ChannelState(LockState.UNLOCKED, DoorSensor.OPEN)


def decode_status(
    reply: StatusReply, *, locked_when_set: bool = True, item_sensors: bool = True
) -> tuple[ChannelState, ...]:
    """Turn a status reply into sixteen channel states, channel 1 first.

    Args:
        reply: The checked reply.
        locked_when_set: Whether a set lock bit means locked (and closed).
        item_sensors: Whether the board has IR sensors fitted; without them
            the item state is unknown rather than a confident "absent".
    """
    states = []
    for index in range(len(CHANNELS)):
        bit_set = bool(reply.locks >> index & 1)
        base = _LOCKED if bit_set == locked_when_set else _UNLOCKED
        item = ItemSensor.UNKNOWN
        if item_sensors:
            has_item = reply.sensors >> index & 1
            item = ItemSensor.PRESENT if has_item else ItemSensor.ABSENT
        states.append(ChannelState(base.lock, base.door, item))
    return tuple(states)


class KerongCU16Bus(LockBus):
    """A bus of Kerong CU16 boards behind one serial port.

    Args:
        port: Device path, e.g. ``/dev/locker-bus0``.
        baudrate: Line speed; the board's factory default is 19200.
        timeout: Seconds to wait for a status reply.
        retries: Extra status reads after a missing or garbled reply.
        locked_when_set: Polarity of the lock bit for every board.
        board_polarity: Per-board overrides of `locked_when_set`.
        item_sensors: Whether the boards have IR item sensors fitted.
        unlock_guard: Seconds the bus stays quiet after an unlock before the
            next command, so a board that does acknowledge an unlock has
            finished (its late reply is then flushed, not taken as an answer).
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 19200,
        timeout: float = 0.3,
        retries: int = 2,
        locked_when_set: bool = True,
        board_polarity: Mapping[int, bool] | None = None,
        item_sensors: bool = True,
        unlock_guard: float = 0.05,
    ) -> None:
        self._port = SerialPort(port, baudrate=baudrate)
        self.timeout = timeout
        self.retries = retries
        self.locked_when_set = locked_when_set
        self.board_polarity = dict(board_polarity or {})
        self.item_sensors = item_sensors
        self.unlock_guard = unlock_guard
        self._lock = asyncio.Lock()
        self._quiet_until = 0.0
        self._health = Health(False, f"{port} not opened yet", port)

    @property
    def port(self) -> str:
        """The device path of the bus."""
        return self._port.port

    async def open(self) -> None:
        """Open the port. No lock is touched: opening never pulses anything."""
        try:
            await self._port.open()
        except DeviceError as exc:
            self._health = Health(False, str(exc), self.port)
            raise
        self._health = Health(True, f"{self.port} open", self.port)

    async def close(self) -> None:
        """Close the port; safe to call twice."""
        await self._port.close()

    async def _ensure_open(self) -> None:
        # A port lost mid-run (unplugged, renamed back) is reopened on the next
        # command, so the caller's polling is the retry loop.
        if not self._port.is_open:
            await self.open()

    async def _settle(self) -> None:
        loop = asyncio.get_running_loop()
        wait = self._quiet_until - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._port.flush_input()

    async def unlock(self, board: int, channel: int) -> None:
        """Send the unlock frame once; never wait for a reply."""
        frame = unlock_frame(board, channel)
        async with self._lock:
            try:
                await self._ensure_open()
                await self._settle()
                await self._port.write(frame)
            except DeviceError as exc:
                self._health = Health(False, str(exc), self.port)
                raise
            loop = asyncio.get_running_loop()
            self._quiet_until = loop.time() + self.unlock_guard
        _log.info("unlock board %d channel %d on %s", board, channel, self.port)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Read one board's sixteen channels, retrying only the status read."""
        frame = status_frame(board)
        async with self._lock:
            error: DeviceError | None = None
            for _attempt in range(1 + self.retries):
                try:
                    reply = await self._status(board, frame)
                except DeviceError as exc:
                    error = exc
                    if not self._port.is_open:
                        break
                    continue
                self._health = Health(
                    True, f"board {board} answered on {self.port}", self.port
                )
                return decode_status(
                    reply,
                    locked_when_set=self.board_polarity.get(
                        board, self.locked_when_set
                    ),
                    item_sensors=self.item_sensors,
                )
        assert error is not None
        self._health = Health(False, str(error), self.port)
        raise error

    async def _status(self, board: int, frame: bytes) -> StatusReply:
        await self._ensure_open()
        await self._settle()
        await self._port.write(frame)
        extractor = ReplyExtractor(board)
        try:
            return await self._port.read_frame(extractor, self.timeout)
        except ReplyTimeout as exc:
            detail = "; skipped " + ", ".join(extractor.skipped)
            raise DeviceError(
                f"Kerong board {board} on {self.port} did not answer within "
                f"{self.timeout:g} s" + (detail if extractor.skipped else "")
            ) from exc

    def health(self) -> Health:
        """The outcome of the last command, naming the port."""
        return self._health
