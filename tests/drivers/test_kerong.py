"""The Kerong CU16 driver against its simulated twin on a real pty."""

from __future__ import annotations

import asyncio
import time

import pytest

from drivers.base import ChannelState, DeviceError, DoorSensor, ItemSensor, LockState
from drivers.kerong import KerongCU16Bus
from drivers.kerong_frames import status_frame, unlock_frame
from drivers.sim.kerong import Fault, SimKerongBus
from drivers.sim.pty import PtyHost

Sim = tuple[SimKerongBus, PtyHost]


def test_frames_match_the_protocol_vectors() -> None:
    assert unlock_frame(0, 1) == bytes.fromhex("02 00 31 03 36")
    assert unlock_frame(1, 5) == bytes.fromhex("02 14 31 03 4A")
    assert status_frame(0) == bytes.fromhex("02 00 30 03 35")
    assert status_frame(1) == bytes.fromhex("02 10 30 03 45")


def test_simulated_reply_matches_the_protocol_vector() -> None:
    model = SimKerongBus(boards=(0,))
    for channel in range(2, 17):
        model.channel(0, channel).latched = False
    assert model.status_reply(0) == bytes.fromhex("02 00 35 01 00 00 00 03 3B")


@pytest.mark.parametrize(("board", "channel"), [(0, 0), (0, 17), (16, 1), (-1, 1)])
def test_out_of_range_addresses_are_refused(board: int, channel: int) -> None:
    with pytest.raises(ValueError):
        unlock_frame(board, channel)


async def test_unlock_puts_the_exact_frame_on_the_line(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    started = time.monotonic()
    await kerong_bus.unlock(1, 5)
    frame = await host.wait_frame(bytes.fromhex("02 14 31 03 4A"))
    assert frame.at >= started
    assert model.unlocks == [(1, 5)]
    assert model.channel(1, 5).door_open


async def test_read_board_maps_lock_door_and_item(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    model.put_item(0, 3)
    await kerong_bus.unlock(0, 2)
    states = await kerong_bus.read_board(0)
    assert len(states) == 16
    assert states[0] == ChannelState(
        LockState.LOCKED, DoorSensor.CLOSED, ItemSensor.ABSENT
    )
    assert states[1].lock is LockState.UNLOCKED
    assert states[1].door is DoorSensor.OPEN
    assert states[2].item is ItemSensor.PRESENT
    assert host.frames[-1].data == bytes.fromhex("02 00 30 03 35")
    assert kerong_bus.health().ok


async def test_closing_the_door_relatches(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, _ = kerong_sim
    await kerong_bus.unlock(2, 16)
    assert (await kerong_bus.read_board(2))[15].lock is LockState.UNLOCKED
    model.close_door(2, 16)
    assert (await kerong_bus.read_board(2))[15].lock is LockState.LOCKED


async def test_reply_in_pieces_is_joined(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, _ = kerong_sim
    model.board(1).pieces = 9
    model.open_door(1, 4, force=True)
    states = await kerong_bus.read_board(1)
    assert states[3].door is DoorSensor.OPEN


async def test_stale_bytes_are_flushed_and_noise_skipped(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    # A stale half reply left on the line before the command ...
    host.send(bytes.fromhex("02 00 35 FF"))
    await asyncio.sleep(0.02)
    # ... and a stray byte just before the real reply.
    model.board(0).noise = b"\x55\x02"
    states = await kerong_bus.read_board(0)
    assert all(s.lock is LockState.LOCKED for s in states)


async def test_echoing_adapter_is_handled() -> None:
    model = SimKerongBus(boards=(0,))
    async with PtyHost(model, echo=True) as host:
        bus = KerongCU16Bus(host.port, timeout=0.2, retries=0)
        await bus.open()
        try:
            await bus.unlock(0, 1)
            states = await bus.read_board(0)
        finally:
            await bus.close()
    assert states[0].lock is LockState.UNLOCKED
    assert states[1].lock is LockState.LOCKED


async def test_bad_checksum_raises_then_retry_is_a_status_read(
    kerong_sim: Sim,
) -> None:
    model, host = kerong_sim
    model.board(0).fault = Fault.GARBLED
    bus = KerongCU16Bus(host.port, timeout=0.1, retries=2)
    await bus.open()
    try:
        with pytest.raises(DeviceError, match="bad checksum"):
            await bus.read_board(0)
    finally:
        await bus.close()
    sent = [f.data for f in host.frames]
    assert sent == [bytes.fromhex("02 00 30 03 35")] * 3
    assert not bus.health().ok
    assert host.port in (bus.health().port or "")


async def test_no_reply_from_an_absent_board(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    _, host = kerong_sim
    with pytest.raises(DeviceError, match="board 9") as caught:
        await kerong_bus.read_board(9)
    assert host.port in str(caught.value)
    assert "board 9" in kerong_bus.health().detail


async def test_offline_board_does_not_stop_the_others(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, _ = kerong_sim
    model.board(1).fault = Fault.OFFLINE
    with pytest.raises(DeviceError):
        await kerong_bus.read_board(1)
    assert len(await kerong_bus.read_board(2)) == 16
    assert kerong_bus.health().ok


async def test_unlock_is_never_repeated_when_the_board_is_silent(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    model.board(0).fault = Fault.OFFLINE
    await kerong_bus.unlock(0, 7)
    with pytest.raises(DeviceError):
        await kerong_bus.read_board(0)
    unlocks = [f.data for f in host.frames if f.data[2] == 0x31]
    assert unlocks == [bytes.fromhex("02 06 31 03 3C")]


async def test_acknowledged_unlock_is_not_taken_for_a_later_status(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    board = model.board(0)
    board.ack_unlock = True
    board.delay = 0.01
    await kerong_bus.unlock(0, 1)
    await host.wait_frame(unlock_frame(0, 1))
    # The board's acknowledgement (saying "unlocked") is still on its way.
    model.close_door(0, 1)
    states = await kerong_bus.read_board(0)
    assert states[0].lock is LockState.LOCKED


async def test_polarity_is_a_per_board_setting() -> None:
    model = SimKerongBus(boards=(0, 1), locked_when_set={0: True, 1: False})
    async with PtyHost(model) as host:
        bus = KerongCU16Bus(host.port, timeout=0.2, board_polarity={1: False})
        await bus.open()
        try:
            await bus.unlock(1, 3)
            zero = await bus.read_board(0)
            one = await bus.read_board(1)
        finally:
            await bus.close()
    assert all(s.lock is LockState.LOCKED for s in zero)
    assert one[2].lock is LockState.UNLOCKED
    assert [s.lock for s in one].count(LockState.LOCKED) == 15


async def test_open_does_not_pulse_anything(
    kerong_sim: Sim, kerong_bus: KerongCU16Bus
) -> None:
    model, host = kerong_sim
    await asyncio.sleep(0.02)
    assert host.received == b""
    assert model.unlocks == []


async def test_symlinked_port_like_a_udev_name(tmp_path: object) -> None:
    from pathlib import Path

    link = Path(str(tmp_path)) / "locker-bus0"
    model = SimKerongBus(boards=(3,))
    async with PtyHost(model, link=link) as host:
        assert link.is_symlink()
        bus = KerongCU16Bus(str(link), timeout=0.2)
        await bus.open()
        try:
            assert len(await bus.read_board(3)) == 16
        finally:
            await bus.close()
        assert host.port == str(link)
    assert not link.exists()


async def test_missing_port_is_a_clear_error(tmp_path: object) -> None:
    bus = KerongCU16Bus(f"{tmp_path}/ttyUSB9")
    with pytest.raises(DeviceError, match="does not exist"):
        await bus.open()
    assert "ttyUSB9" in bus.health().detail


async def test_port_that_vanishes_is_reported_and_reopened() -> None:
    model = SimKerongBus(boards=(0,))
    host = PtyHost(model)
    await host.start()
    bus = KerongCU16Bus(host.port, timeout=0.1, retries=0)
    await bus.open()
    try:
        await host.stop()
        with pytest.raises(DeviceError):
            await bus.read_board(0)
        assert not bus.health().ok
    finally:
        await bus.close()
