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

from collections.abc import Mapping

from drivers.base import ChannelState, ItemSensor
from drivers.kerong_frames import (
    CHANNELS,
    ReplyExtractor,
    StatusReply,
    status_frame,
    unlock_frame,
)
from drivers.serial_bus import SerialLockBus, states_from_bits


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
    locks = states_from_bits(reply.locks, len(CHANNELS), locked_when_set)
    for index, base in enumerate(locks):
        item = ItemSensor.UNKNOWN
        if item_sensors:
            has_item = reply.sensors >> index & 1
            item = ItemSensor.PRESENT if has_item else ItemSensor.ABSENT
        states.append(ChannelState(base.lock, base.door, item))
    return tuple(states)


class KerongCU16Bus(SerialLockBus[StatusReply]):
    """A bus of Kerong CU16 boards behind one serial port.

    Args:
        port: Device path, e.g. ``/dev/locker-bus0``.
        baudrate: Line speed; the board's factory default is 19200.
        timeout: Seconds to wait for a status reply.
        retries: Extra status reads after a missing or garbled reply.
        locked_when_set: Polarity of the lock bit for every board.
        board_polarity: Per-board overrides of `locked_when_set`.
        item_sensors: Whether the boards have IR item sensors fitted.
        unlock_guard: Seconds of quiet after an unlock (see `SerialLockBus`).
    """

    family = "Kerong CU16"
    channels = len(CHANNELS)

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
        super().__init__(
            port,
            baudrate=baudrate,
            timeout=timeout,
            retries=retries,
            unlock_guard=unlock_guard,
        )
        self.locked_when_set = locked_when_set
        self.board_polarity = dict(board_polarity or {})
        self.item_sensors = item_sensors

    def unlock_frame(self, board: int, channel: int) -> bytes:
        """``02 (board<<4 | channel-1) 31 03 SUM``."""
        return unlock_frame(board, channel)

    def status_frame(self, board: int) -> bytes:
        """``02 (board<<4) 30 03 SUM``."""
        return status_frame(board)

    def extractor(self, board: int) -> ReplyExtractor:
        """Finds this board's nine-byte 0x35 reply."""
        return ReplyExtractor(board)

    def decode(self, board: int, reply: StatusReply) -> tuple[ChannelState, ...]:
        """Apply the board's polarity to the reply's bits."""
        return decode_status(
            reply,
            locked_when_set=self.board_polarity.get(board, self.locked_when_set),
            item_sensors=self.item_sensors,
        )
