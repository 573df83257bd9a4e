"""The locker bank over two simulated Kerong buses on real ptys."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from drivers.bank import DoorAddress, LockBank
from drivers.base import UNKNOWN_STATE, ChannelState, DoorSensor, LockState
from drivers.kerong import KerongCU16Bus
from drivers.sim.kerong import Fault, SimKerongBus
from drivers.sim.pty import PtyHost
from tests.drivers.waiting import until

DOORS = {
    "A1": ("left", 0, 1),
    "A2": ("left", 0, 2),
    "B1": ("left", 1, 1),
    "C1": ("right", 0, 16),
}


@pytest.fixture
async def bank() -> AsyncIterator[tuple[LockBank, SimKerongBus, SimKerongBus]]:
    left, right = SimKerongBus(boards=(0, 1)), SimKerongBus(boards=(0,))
    async with PtyHost(left) as left_host, PtyHost(right) as right_host:
        buses = {
            "left": KerongCU16Bus(left_host.port, timeout=0.1, retries=0),
            "right": KerongCU16Bus(right_host.port, timeout=0.1, retries=0),
        }
        bank = LockBank(buses, DOORS)
        await bank.open()
        try:
            yield bank, left, right
        finally:
            await bank.close()


Bank = tuple[LockBank, SimKerongBus, SimKerongBus]


async def test_read_all_reads_each_board_once(bank: Bank) -> None:
    lock_bank, left, _ = bank
    states = await lock_bank.read_all()
    assert set(states) == set(DOORS)
    assert all(s.lock is LockState.LOCKED for s in states.values())
    assert left.line is not None
    assert [f.data.hex(" ") for f in left.line.frames] == [
        "02 00 30 03 35",
        "02 10 30 03 45",
    ]


async def test_unlock_reaches_the_right_board_and_channel(bank: Bank) -> None:
    lock_bank, left, right = bank
    await lock_bank.unlock("C1")
    assert right.line is not None
    await right.line.wait_frame(bytes.fromhex("02 0F 31 03 45"))
    assert left.unlocks == []
    states = await lock_bank.read_all()
    assert states["C1"].door is DoorSensor.OPEN


async def test_a_silent_board_puts_only_its_doors_out_of_service(bank: Bank) -> None:
    lock_bank, left, _ = bank
    left.board(1).fault = Fault.OFFLINE
    states = await lock_bank.read_all()
    assert states["B1"] == UNKNOWN_STATE
    assert lock_bank.out_of_service == {"B1"}
    assert states["A1"].lock is LockState.LOCKED
    assert states["C1"].lock is LockState.LOCKED
    left.board(1).fault = Fault.NONE
    await lock_bank.read_all()
    assert lock_bank.out_of_service == frozenset()


async def test_unlock_and_confirm(bank: Bank) -> None:
    lock_bank, left, _ = bank
    assert await lock_bank.unlock_and_confirm("A2", timeout=1)
    left.board(1).fault = Fault.OFFLINE
    assert not await lock_bank.unlock_and_confirm("B1", timeout=0.2, poll=0.05)
    # The frame went out once; the dead board did nothing with it.
    assert left.line is not None
    unlocks = [f.data.hex(" ") for f in left.line.frames if f.data[2] == 0x31]
    assert unlocks == ["02 01 31 03 37", "02 10 31 03 46"]
    assert left.unlocks == [(0, 2)]


async def test_watch_reports_every_change(bank: Bank) -> None:
    lock_bank, left, _ = bank
    changes: list[tuple[str, ChannelState, ChannelState]] = []

    def on_change(door: str, before: ChannelState, now: ChannelState) -> None:
        changes.append((door, before, now))

    task = asyncio.create_task(lock_bank.watch(on_change, interval=0.01))
    try:
        await until(lambda: len(changes) == len(DOORS))
        assert {c[0] for c in changes} == set(DOORS)
        left.open_door(0, 1, force=True)
        await until(lambda: len(changes) == len(DOORS) + 1)
        door, before, now = changes[-1]
        assert door == "A1"
        assert before.door is DoorSensor.CLOSED
        assert now.door is DoorSensor.OPEN
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_bank_starts_with_a_missing_adapter(tmp_path: object) -> None:
    sim = SimKerongBus(boards=(0,))
    async with PtyHost(sim) as host:
        buses = {
            "ok": KerongCU16Bus(host.port, timeout=0.1),
            "gone": KerongCU16Bus(f"{tmp_path}/ttyUSB5", timeout=0.1),
        }
        bank = LockBank(buses, {"A1": ("ok", 0, 1), "Z1": ("gone", 0, 1)})
        await bank.open()
        try:
            states = await bank.read_all()
        finally:
            await bank.close()
    assert states["A1"].lock is LockState.LOCKED
    assert states["Z1"] == UNKNOWN_STATE
    assert bank.out_of_service == {"Z1"}
    assert "ttyUSB5" in bank.health()["gone"].detail
    assert sim.unlocks == []


def test_door_on_unknown_bus_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown bus"):
        LockBank({}, {"A1": DoorAddress("nowhere", 0, 1)})


async def test_unknown_door_is_a_clear_error(bank: Bank) -> None:
    lock_bank, _, _ = bank
    with pytest.raises(KeyError, match="Z9"):
        await lock_bank.unlock("Z9")
