"""The physical side shared by every simulated lock board: latches, doors, items.

A family's twin subclasses `SimLockBoards` and adds only its wire protocol:
how it frames what it hears and what bytes it answers. The person at the bank
(a test, or the simulator panel) uses the methods here whatever the family.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from drivers.sim.pty import SimulatedDevice


class Fault(enum.Enum):
    """What a simulated board does wrong when it should answer."""

    NONE = "none"
    OFFLINE = "offline"
    """Does not answer at all, and ignores commands."""
    GARBLED = "garbled"
    """Answers with its check byte corrupted."""
    MUTE = "mute"
    """Acts on every command, but its replies are lost on the line."""


@dataclass
class SimChannel:
    """One lock position: latch, door and the item inside."""

    latched: bool = True
    door_open: bool = False
    item: bool = False

    @property
    def locked(self) -> bool:
        """Latched with the door shut: what a lock-feedback bit reports."""
        return self.latched and not self.door_open


@dataclass
class SimBoard:
    """One simulated board.

    Attributes:
        address: The board's address on its bus.
        channels: Its lock positions, channel 1 first.
        locked_when_set: The polarity of its lock bits, where it has them.
        fault: What it does wrong when it should answer.
        delay: Seconds before it answers.
        pieces: Into how many pieces each answer is split on the line.
        noise: Bytes sent just before each answer (a stray byte, line noise).
        ack_unlock: Whether it answers an unlock (where its protocol allows).
    """

    address: int
    channels: list[SimChannel]
    locked_when_set: bool = True
    fault: Fault = Fault.NONE
    delay: float = 0.0
    pieces: int = 1
    noise: bytes = b""
    ack_unlock: bool = False

    def bits(self, which: Callable[[SimChannel], bool]) -> int:
        """A bitmap of the channels for which `which` holds, channel 1 = bit 0."""
        return sum(1 << i for i, ch in enumerate(self.channels) if which(ch))

    def lock_bits(self) -> int:
        """Lock-feedback bits with the board's polarity applied."""
        return self.bits(lambda ch: ch.locked == self.locked_when_set)


ChangeListener = Callable[[int, int], None]
"""Called with (board, channel) whenever a channel's state changes."""


@dataclass
class SimLockBoards(SimulatedDevice):
    """Several boards of one family on one simulated line.

    Args:
        boards: The addresses fitted.
        channels: Lock positions per board.
        locked_when_set: Lock-bit polarity for all boards, or per address.
        spring: Whether a released door springs open by itself.
    """

    boards_fitted: Iterable[int] = (0,)
    channels: int = 16
    locked_when_set: bool | Mapping[int, bool] = True
    spring: bool = True
    boards: dict[int, SimBoard] = field(init=False)
    unlocks: list[tuple[int, int]] = field(init=False, default_factory=list)
    listeners: list[ChangeListener] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.boards = {}
        for address in self.boards_fitted:
            polarity = self.locked_when_set
            if isinstance(polarity, Mapping):
                polarity = polarity.get(address, True)
            self.boards[address] = SimBoard(
                address,
                [SimChannel() for _ in range(self.channels)],
                locked_when_set=polarity,
            )

    def board(self, address: int) -> SimBoard:
        """The board at `address`; KeyError if none is fitted there."""
        return self.boards[address]

    def channel(self, board: int, channel: int) -> SimChannel:
        """One channel of one board, counted from 1."""
        if not 1 <= channel <= self.channels:
            raise ValueError(f"channel {channel} is not 1-{self.channels}")
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
        """Put something in the compartment (its item sensor sees it)."""
        self.channel(board, channel).item = True
        self._changed(board, channel)

    def remove_item(self, board: int, channel: int) -> None:
        """Take the compartment's contents out."""
        self.channel(board, channel).item = False
        self._changed(board, channel)

    # What the wire does, for the family's subclass.

    def release(self, board: SimBoard, channel: int) -> bool:
        """Act on an unlock command; False if the channel does not exist."""
        if not 1 <= channel <= len(board.channels):
            return False
        self.unlocks.append((board.address, channel))
        state = board.channels[channel - 1]
        state.latched = False
        if self.spring:
            state.door_open = True
        self._changed(board.address, channel)
        return True

    def answering(self, address: int) -> SimBoard | None:
        """The board at `address` if it is fitted and not offline."""
        board = self.boards.get(address)
        if board is None or board.fault is Fault.OFFLINE:
            return None
        return board

    def answer(self, board: SimBoard, reply: bytes) -> None:
        """Send a reply with the board's faults, noise, delay and pieces applied."""
        if self.line is None or board.fault is Fault.MUTE:
            return
        if board.fault is Fault.GARBLED:
            reply = reply[:-1] + bytes(((reply[-1] + 1) & 0xFF,))
        self.line.send(board.noise + reply, delay=board.delay, pieces=board.pieces)
