"""Bus discipline, checked the same way for every lock-board family.

Each test runs the production driver against the family's simulated twin on a
real pty and checks exact frames from protocols.md plus the faults a bus has:
replies in pieces, an echoing adapter, stale bytes, a bad check, no reply.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from drivers.base import DeviceError, DoorSensor, LockState
from drivers.serial_bus import SerialLockBus
from drivers.sim.lockers import Fault, SimLockBoards
from drivers.sim.pty import PtyHost
from tests.drivers.families import FAMILIES, Family


@dataclass
class Rig:
    family: Family
    sim: SimLockBoards
    host: PtyHost
    bus: SerialLockBus[Any]

    def sent(self) -> list[str]:
        return [f.data.hex(" ").upper() for f in self.host.frames]


@contextlib.asynccontextmanager
async def _rig(family: Family, *, echo: bool = False) -> AsyncIterator[Rig]:
    sim = family.sim(family.boards)
    async with PtyHost(sim, echo=echo) as host:
        bus = family.driver(host.port, timeout=0.1, retries=1, unlock_guard=0.02)
        await bus.open()
        try:
            yield Rig(family, sim, host, bus)
        finally:
            await bus.close()


@pytest.fixture(params=FAMILIES, ids=lambda f: f.name)
async def rig(request: pytest.FixtureRequest) -> AsyncIterator[Rig]:
    async with _rig(request.param) as made:
        yield made


async def test_unlock_frames_are_exact_and_read_back(rig: Rig) -> None:
    for board, channel, expected in rig.family.unlocks:
        await rig.bus.unlock(board, channel)
        await rig.host.wait_frame(bytes.fromhex(expected))
        states = await rig.bus.read_board(board)
        assert len(states) == rig.family.channels
        assert states[channel - 1].lock is LockState.UNLOCKED
        assert states[channel - 1].door is DoorSensor.OPEN
    assert rig.sim.unlocks == [(b, c) for b, c, _ in rig.family.unlocks]


async def test_status_frame_is_exact(rig: Rig) -> None:
    board, expected = rig.family.status
    states = await rig.bus.read_board(board)
    assert rig.sent()[0] == expected
    assert all(s.lock is LockState.LOCKED for s in states)
    assert rig.bus.health().ok


async def test_closing_the_door_relatches(rig: Rig) -> None:
    board = rig.family.boards[1]
    await rig.bus.unlock(board, 3)
    assert (await rig.bus.read_board(board))[2].lock is LockState.UNLOCKED
    rig.sim.close_door(board, 3)
    assert (await rig.bus.read_board(board))[2].lock is LockState.LOCKED


async def test_reply_in_pieces(rig: Rig) -> None:
    board = rig.family.boards[0]
    rig.sim.board(board).pieces = 4
    rig.sim.open_door(board, 2, force=True)
    states = await rig.bus.read_board(board)
    assert states[1].door is DoorSensor.OPEN
    assert states[0].door is DoorSensor.CLOSED


async def test_stale_bytes_and_noise_before_the_reply(rig: Rig) -> None:
    board = rig.family.boards[0]
    rig.host.send(bytes.fromhex(rig.family.status[1])[:3])
    await asyncio.sleep(0.02)
    rig.sim.board(board).noise = b"\x00\x55" + bytes.fromhex(rig.family.status[1])[:1]
    rig.sim.open_door(board, 1, force=True)
    states = await rig.bus.read_board(board)
    assert states[0].door is DoorSensor.OPEN


async def test_garbled_reply_is_an_error_and_retried_as_a_status_read(
    rig: Rig,
) -> None:
    board = rig.family.boards[0]
    rig.sim.board(board).fault = Fault.GARBLED
    with pytest.raises(DeviceError):
        await rig.bus.read_board(board)
    assert not rig.bus.health().ok
    sent = rig.sent()
    assert len(sent) == 2
    assert sent[0] == sent[1]
    assert not rig.sim.unlocks


async def test_silent_board_fails_alone(rig: Rig) -> None:
    silent, other = rig.family.boards
    rig.sim.board(silent).fault = Fault.OFFLINE
    await rig.bus.unlock(silent, 1)
    with pytest.raises(DeviceError, match=f"board {silent}") as caught:
        await rig.bus.read_board(silent)
    assert rig.host.port in str(caught.value)
    assert len(await rig.bus.read_board(other)) == rig.family.channels
    unlocks = [f for f in rig.host.frames if f.data == rig.bus.unlock_frame(silent, 1)]
    assert len(unlocks) == 1


async def test_absent_board_does_not_answer(rig: Rig) -> None:
    with pytest.raises(DeviceError):
        await rig.bus.read_board(9)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
async def test_echoing_adapter(family: Family) -> None:
    async with _rig(family, echo=True) as rig:
        board = family.boards[0]
        await rig.bus.unlock(board, 2)
        states = await rig.bus.read_board(board)
        assert states[1].lock is LockState.UNLOCKED
        assert states[0].lock is LockState.LOCKED
