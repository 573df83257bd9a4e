"""A simulated bus of Kerong CU16 boards, answering byte for byte on a pty.

Each board has sixteen channels with a latch, a door and an item sensor. An
unlock frame releases the latch and the door springs open; it stays open until
the person closes it, which re-engages the latch. A status frame is answered
with the nine-byte reply a real board sends; a frame for an absent board, or
one with a bad checksum, is not answered at all.

This model deliberately frames bytes with its own small code rather than the
driver's, so that a test of the driver against it checks two readings of the
protocol, not one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from drivers.checksums import sum8
from drivers.sim.pty import SimulatedDevice

_FRAME_LEN = 5
_CHANNELS = 16


class Fault(enum.Enum):
    """What a simulated board does wrong when asked for its status."""

    NONE = "none"
    OFFLINE = "offline"
    """Does not answer at all."""
    GARBLED = "garbled"
    """Answers with a corrupted checksum."""


@dataclass
class SimChannel:
    """One lock position: latch, door and the item inside."""

    latched: bool = True
    door_open: bool = False
    item: bool = False


@dataclass
class SimBoard:
    """One CU16 board on the simulated bus.

    Attributes:
        address: The board's DIP-switch address, 0-15.
        locked_when_set: The board's lock-bit polarity (see `drivers.kerong`).
        fault: What the board does wrong when asked for status.
        delay: Seconds before the board answers.
        pieces: Into how many pieces the reply is split on the line.
        noise: Bytes sent just before the reply (line noise, a stray byte).
        ack_unlock: Whether the board answers an unlock with a status reply,
            as some firmware reportedly does.
    """

    address: int
    locked_when_set: bool = True
    fault: Fault = Fault.NONE
    delay: float = 0.0
    pieces: int = 1
    noise: bytes = b""
    ack_unlock: bool = False
    channels: list[SimChannel] = field(
        default_factory=lambda: [SimChannel() for _ in range(_CHANNELS)]
    )

    def lock_bits(self) -> int:
        """The 16 lock bits as the board reports them."""
        bits = 0
        for index, channel in enumerate(self.channels):
            locked = channel.latched and not channel.door_open
            if locked == self.locked_when_set:
                bits |= 1 << index
        return bits

    def item_bits(self) -> int:
        """The 16 infrared item bits (1 = item present)."""
        return sum(1 << i for i, ch in enumerate(self.channels) if ch.item)

    def status_reply(self) -> bytes:
        """The nine-byte reply to a status frame."""
        locks, items = self.lock_bits(), self.item_bits()
        body = bytes(
            (
                0x02,
                self.address << 4,
                0x35,
                locks & 0xFF,
                locks >> 8,
                items & 0xFF,
                items >> 8,
                0x03,
            )
        )
        return body + bytes((sum8(body),))


ChangeListener = Callable[[int, int], None]
"""Called with (board, channel) whenever a channel's state changes."""


class SimKerongBus(SimulatedDevice):
    """Several simulated CU16 boards sharing one line.

    Args:
        boards: The addresses present on the bus.
        locked_when_set: Polarity for every board, or a mapping per address.
        spring: Whether a released door springs open by itself.
    """

    def __init__(
        self,
        boards: Iterable[int] = (0,),
        *,
        locked_when_set: bool | Mapping[int, bool] = True,
        spring: bool = True,
    ) -> None:
        self.boards: dict[int, SimBoard] = {}
        for address in boards:
            if isinstance(locked_when_set, Mapping):
                polarity = locked_when_set.get(address, True)
            else:
                polarity = locked_when_set
            self.boards[address] = SimBoard(address, locked_when_set=polarity)
        self.spring = spring
        self.unlocks: list[tuple[int, int]] = []
        self.listeners: list[ChangeListener] = []
        self._buffer = bytearray()

    def board(self, address: int) -> SimBoard:
        """The board at `address`; KeyError if none is fitted there."""
        return self.boards[address]

    def channel(self, board: int, channel: int) -> SimChannel:
        """One channel, counted from 1."""
        if not 1 <= channel <= _CHANNELS:
            raise ValueError(f"channel {channel} is not 1-{_CHANNELS}")
        return self.boards[board].channels[channel - 1]

    def _changed(self, board: int, channel: int) -> None:
        for listener in list(self.listeners):
            listener(board, channel)

    # What a person at the locker bank does.

    def open_door(self, board: int, channel: int, *, force: bool = False) -> bool:
        """Pull the door open; a latched door opens only when forced.

        Returns:
            Whether the door is now open.
        """
        state = self.channel(board, channel)
        if state.latched and not force:
            return state.door_open
        if not state.door_open:
            state.door_open = True
            self._changed(board, channel)
        return True

    def close_door(self, board: int, channel: int) -> None:
        """Push the door shut; the latch engages again."""
        state = self.channel(board, channel)
        if state.door_open or not state.latched:
            state.door_open = False
            state.latched = True
            self._changed(board, channel)

    def put_item(self, board: int, channel: int) -> None:
        """Put something in the compartment (its IR sensor sees it)."""
        self.channel(board, channel).item = True
        self._changed(board, channel)

    def remove_item(self, board: int, channel: int) -> None:
        """Take the compartment's contents out."""
        self.channel(board, channel).item = False
        self._changed(board, channel)

    # The wire.

    def on_bytes(self, data: bytes) -> None:
        """Frame the bytes the host sent and act on each valid frame."""
        self._buffer += data
        while len(self._buffer) >= _FRAME_LEN:
            if self._buffer[0] != 0x02:
                del self._buffer[0]
                continue
            frame = bytes(self._buffer[:_FRAME_LEN])
            if frame[3] != 0x03 or sum8(frame[:4]) != frame[4]:
                # A real board ignores what it cannot read; resync on the next STX.
                del self._buffer[0]
                continue
            del self._buffer[:_FRAME_LEN]
            if self.line is not None:
                self.line.record(frame)
            self._handle(frame[1] >> 4, frame[1] & 0x0F, frame[2])

    def _handle(self, address: int, lock: int, command: int) -> None:
        board = self.boards.get(address)
        if board is None or board.fault is Fault.OFFLINE:
            return
        if command == 0x31:
            self._unlock(board, lock + 1)
            if board.ack_unlock:
                self._reply(board)
        elif command == 0x30:
            self._reply(board)
        # TODO(#5): 0x32 status-all, 0x33 unlock-all, 0x37 pulse time are not modelled.

    def _unlock(self, board: SimBoard, channel: int) -> None:
        self.unlocks.append((board.address, channel))
        state = board.channels[channel - 1]
        state.latched = False
        if self.spring:
            state.door_open = True
        self._changed(board.address, channel)

    def _reply(self, board: SimBoard) -> None:
        if self.line is None:
            return
        reply = board.status_reply()
        if board.fault is Fault.GARBLED:
            reply = reply[:-1] + bytes(((reply[-1] + 1) & 0xFF,))
        self.line.send(board.noise + reply, delay=board.delay, pieces=board.pieces)
