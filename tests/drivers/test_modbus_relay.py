"""The Modbus RTU relay board (pymodbus) against its simulated twin on a pty."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from drivers.base import DeviceError, DoorSensor
from drivers.checksums import crc16_modbus
from drivers.modbus_relay import ModbusRelayBoard
from drivers.sim.lockers import Fault
from drivers.sim.modbus_relay import SimModbusRelayBoards
from drivers.sim.pty import PtyHost
from tests.drivers.waiting import until

RELAY_1_ON = bytes.fromhex("01 05 00 00 FF 00 8C 3A")
RELAY_1_OFF = bytes.fromhex("01 05 00 00 00 00 CD CA")
READ_INPUTS = bytes.fromhex("01 02 00 00 00 08 79 CC")


@pytest.mark.parametrize(
    "frame",
    [
        "01 05 00 00 FF 00 8C 3A",
        "01 05 00 00 00 00 CD CA",
        "01 01 00 00 00 08 3D CC",
        "01 01 01 41 91 B8",
        "01 02 00 00 00 08 79 CC",
        "01 0F 00 00 00 08 01 FF BE D5",
    ],
)
def test_crc_matches_the_protocol_vectors(frame: str) -> None:
    data = bytes.fromhex(frame)
    assert crc16_modbus(data[:-2]).to_bytes(2, "little") == data[-2:]


Rig = tuple[SimModbusRelayBoards, PtyHost, ModbusRelayBoard]


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    sim = SimModbusRelayBoards(units=(1, 2))
    async with PtyHost(sim) as host:
        board = ModbusRelayBoard(host.port, pulse=0.05, timeout=0.2, units=(1, 2))
        await board.open()
        try:
            yield sim, host, board
        finally:
            await board.close()


async def test_open_switches_everything_off(rig: Rig) -> None:
    sim, host, _ = rig
    all_off = bytes.fromhex("01 0F 00 00 00 08 01 00")
    all_off += crc16_modbus(all_off).to_bytes(2, "little")
    assert host.frames[0].data == all_off
    assert sim.energised() == []


async def test_unlock_pulses_relay_with_exact_frames(rig: Rig) -> None:
    sim, host, board = rig
    start = len(host.frames)
    await board.unlock(1, 1)
    assert [f.data for f in host.frames[start:]] == [RELAY_1_ON, RELAY_1_OFF]
    on, off = sim.history[-2:]
    assert (on.channel, on.on, off.channel, off.on) == (1, True, 1, False)
    assert 0.04 <= off.at - on.at < 0.5
    assert sim.energised() == []
    states = await board.read_board(1)
    assert host.frames[-1].data == READ_INPUTS
    assert states[0].door is DoorSensor.OPEN
    assert states[1].door is DoorSensor.CLOSED


async def test_cancelled_unlock_still_switches_off(rig: Rig) -> None:
    sim, _, board = rig
    board.pulse = 2.0
    task = asyncio.create_task(board.unlock(2, 4))
    await until(lambda: sim.energised() == [(2, 4)])
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await until(lambda: sim.energised() == [])


async def test_silent_unit_is_a_device_error(rig: Rig) -> None:
    sim, host, board = rig
    sim.board(2).fault = Fault.OFFLINE
    with pytest.raises(DeviceError, match="device 2") as caught:
        await board.read_board(2)
    assert host.port in str(caught.value)
    assert not board.health().ok
    assert len(await board.read_board(1)) == 8
    assert board.health().ok


async def test_missing_port_says_so(tmp_path: object) -> None:
    board = ModbusRelayBoard(f"{tmp_path}/ttyUSB4")
    with pytest.raises(DeviceError, match="does not exist"):
        await board.open()
    await board.close()
