"""The locker bank over two simulated Kerong buses on real ptys."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator

import pytest

from drivers.bank import DoorAddress, LockBank
from drivers.base import UNKNOWN_STATE, ChannelState, DoorSensor, LockState
from drivers.kerong import KerongCU16Bus
from drivers.kerong_frames import status_frame
from drivers.sim.kerong import Fault, SimKerongBus
from drivers.sim.pty import PtyHost
from drivers.sim.wkly import SimWklyBus
from drivers.wkly import WklyBus
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
    lock_bank.probe_after = 0.01
    left.board(1).fault = Fault.OFFLINE
    states = await lock_bank.read_all()
    assert states["B1"] == UNKNOWN_STATE
    assert lock_bank.out_of_service == {"B1"}
    assert states["A1"].lock is LockState.LOCKED
    assert states["C1"].lock is LockState.LOCKED
    left.board(1).fault = Fault.NONE
    await asyncio.sleep(0.02)
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


@contextlib.asynccontextmanager
async def _ten_boards(
    dead: int, **bank_settings: float
) -> AsyncIterator[tuple[LockBank, SimKerongBus, PtyHost]]:
    """Ten boards on one bus at the driver's default timing, one of them dead."""
    sim = SimKerongBus(boards=range(10))
    sim.board(dead).fault = Fault.OFFLINE
    async with PtyHost(sim) as host:
        bus = KerongCU16Bus(host.port)
        doors = {f"D{b}": ("bus", b, 1) for b in range(10)}
        bank = LockBank({"bus": bus}, doors, **bank_settings)
        await bank.open()
        try:
            yield bank, sim, host
        finally:
            await bank.close()


async def test_a_dead_board_does_not_slow_a_live_door_on_its_bus() -> None:
    async with _ten_boards(dead=5) as (bank, sim, _):
        watcher = asyncio.create_task(bank.watch(lambda *change: None, interval=0.01))
        try:
            await until(lambda: "D5" in bank.out_of_service, within=3)
            times = []
            for _ in range(12):
                started = time.monotonic()
                assert await bank.unlock_and_confirm("D2", timeout=3)
                times.append(time.monotonic() - started)
                sim.close_door(2, 1)
                await asyncio.sleep(0.1)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
    # One timeout of the dead board alone is 0.3 s, with retries 0.9 s.
    assert max(times) < 0.25, times
    assert bank.out_of_service == {"D5"}


async def test_a_silent_board_is_probed_less_and_less_often() -> None:
    async with _ten_boards(dead=7, probe_after=0.05, probe_max=0.4) as (
        bank,
        sim,
        host,
    ):
        bank.buses["bus"].retries = 0  # type: ignore[attr-defined]
        bank.buses["bus"].timeout = 0.05  # type: ignore[attr-defined]
        watcher = asyncio.create_task(bank.watch(lambda *change: None, interval=0.01))
        try:
            await asyncio.sleep(2.0)
            probes = [f.at for f in host.frames if f.data == status_frame(7)]
            sim.board(7).fault = Fault.NONE
            await until(lambda: not bank.out_of_service, within=1)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
    gaps = [later - earlier for earlier, later in itertools.pairwise(probes)]
    # Each wait doubles (plus the probe's own timeout) up to the ceiling.
    assert 4 <= len(probes) <= 8, gaps
    assert gaps[0] < 0.2
    assert all(0.4 <= gap < 0.6 for gap in gaps[-2:]), gaps
    reads_of_live = [f for f in host.frames if f.data == status_frame(0)]
    assert len(reads_of_live) > 50


async def test_a_door_report_a_board_sends_unasked_is_applied_at_once() -> None:
    sim = SimWklyBus(boards=(0,))
    async with PtyHost(sim) as host:
        bus = WklyBus(host.port, timeout=0.2, unlock_guard=0.01)
        bank = LockBank({"bus": bus}, {"W1": ("bus", 0, 1), "W3": ("bus", 0, 3)})
        await bank.open()
        changes: list[tuple[str, ChannelState, ChannelState]] = []
        watcher = asyncio.create_task(
            bank.watch(lambda *change: changes.append(change), interval=30)
        )
        try:
            await until(lambda: len(changes) == 2)
            reads = len(host.frames)
            sim.open_door(0, 3, force=True)
            await until(lambda: bank.states["W3"].door is DoorSensor.OPEN, within=0.3)
            assert changes[-1][0] == "W3"
            assert changes[-1][2].lock is LockState.UNLOCKED
            sim.close_door(0, 3)
            await until(lambda: bank.states["W3"].door is DoorSensor.CLOSED, within=0.3)
            # No read was needed for either.
            assert len(host.frames) == reads
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await bank.close()
    assert bank.states["W1"].door is DoorSensor.CLOSED
