"""The Modbus RTU relay board against its simulated twin on a pty."""

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
READ_COILS = bytes.fromhex("01 01 00 00 00 08 3D CC")


def _with_crc(body: str) -> bytes:
    data = bytes.fromhex(body)
    return data + crc16_modbus(data).to_bytes(2, "little")


ALL_OFF_1 = _with_crc("01 0F 00 00 00 08 01 00")
ALL_OFF_2 = _with_crc("02 0F 00 00 00 08 01 00")


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


@contextlib.asynccontextmanager
async def _rig(*, echo: bool = False, **settings: object) -> AsyncIterator[Rig]:
    sim = SimModbusRelayBoards(units=(1, 2))
    async with PtyHost(sim, echo=echo) as host:
        options: dict[str, object] = {
            "pulse": 0.05,
            "timeout": 0.1,
            "units": (1, 2),
            **settings,
        }
        board = ModbusRelayBoard(host.port, **options)  # type: ignore[arg-type]
        await board.open()
        try:
            yield sim, host, board
        finally:
            await board.close()


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    async with _rig() as made:
        yield made


def _sent(host: PtyHost, since: int = 0) -> list[bytes]:
    return [frame.data for frame in host.frames[since:]]


async def test_open_switches_everything_off(rig: Rig) -> None:
    sim, host, _ = rig
    assert _sent(host) == [ALL_OFF_1, ALL_OFF_2]
    assert sim.energised() == []


async def test_unlock_pulses_relay_with_exact_frames(rig: Rig) -> None:
    sim, host, board = rig
    start = len(host.frames)
    await board.unlock(1, 1)
    assert _sent(host, start) == [RELAY_1_ON, RELAY_1_OFF]
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


async def test_on_whose_reply_is_lost_is_still_switched_off(rig: Rig) -> None:
    sim, _, board = rig
    # The board acts on the "on" but its reply never arrives.
    sim.board(1).fault = Fault.MUTE
    with pytest.raises(DeviceError, match="did not answer switching relay 3 on"):
        await board.unlock(1, 3)
    assert [(s.channel, s.on) for s in sim.history] == [(3, True), (3, False)]
    assert sim.energised() == []


async def test_cancelled_while_the_on_awaits_its_reply(rig: Rig) -> None:
    sim, _, board = rig
    sim.board(1).delay = 0.08
    task = asyncio.create_task(board.unlock(1, 2))
    await until(lambda: sim.energised() == [(1, 2)])
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await until(lambda: sim.energised() == [], within=2)


def _deaf_after_release(
    sim: SimModbusRelayBoards, host: PtyHost, unit: int, back_after: float | None
) -> None:
    """Make a unit deaf the moment a relay's "on" releases a door."""
    board = sim.board(unit)

    def on_change(address: int, channel: int) -> None:
        if address != unit or board.fault is not Fault.NONE:
            return
        # The reply to the "on" still goes out; what follows is not heard.
        board.fault = Fault.OFFLINE
        if back_after is not None:
            host.later(back_after, lambda: setattr(board, "fault", Fault.NONE))

    sim.listeners.append(on_change)


async def test_an_off_the_board_missed_is_retried(rig: Rig) -> None:
    sim, host, board = rig
    board.retries = 0
    board.off_retries = 3
    _deaf_after_release(sim, host, 1, back_after=0.2)
    await board.unlock(1, 5)
    assert sim.energised() == []
    offs = [f for f in _sent(host) if f == _with_crc("01 05 00 04 00 00")]
    assert len(offs) >= 2


async def test_an_off_that_failed_every_retry_is_sent_before_the_next_request(
    rig: Rig,
) -> None:
    sim, host, board = rig
    board.off_retries = 1
    _deaf_after_release(sim, host, 1, back_after=None)
    await board.unlock(1, 6)
    assert sim.energised() == [(1, 6)]
    assert not board.health().ok
    assert "may still be on" in board.health().detail
    sim.board(1).fault = Fault.NONE
    await board.read_board(1)
    assert sim.energised() == []
    assert _sent(host)[-2:] == [_with_crc("01 05 00 05 00 00"), READ_INPUTS]


async def test_silent_unit_is_a_device_error(rig: Rig) -> None:
    sim, host, board = rig
    sim.board(2).fault = Fault.OFFLINE
    with pytest.raises(DeviceError, match="device 2") as caught:
        await board.read_board(2)
    assert host.port in str(caught.value)
    assert "did not answer" in str(caught.value)
    assert not board.health().ok
    assert len(await board.read_board(1)) == 8
    assert board.health().ok


async def test_reply_in_pieces(rig: Rig) -> None:
    sim, _, board = rig
    sim.board(1).pieces = 5
    sim.open_door(1, 4, force=True)
    states = await board.read_board(1)
    assert states[3].door is DoorSensor.OPEN
    assert states[2].door is DoorSensor.CLOSED


async def test_stale_byte_and_noise_before_the_reply(rig: Rig) -> None:
    sim, host, board = rig
    host.send(READ_INPUTS[:3])
    await asyncio.sleep(0.02)
    sim.board(1).noise = b"\x01\x00\x55"
    sim.open_door(1, 1, force=True)
    states = await board.read_board(1)
    assert states[0].door is DoorSensor.OPEN


async def test_bad_crc_is_an_error_and_retried_as_the_same_read(rig: Rig) -> None:
    sim, host, board = rig
    sim.board(1).fault = Fault.GARBLED
    start = len(host.frames)
    with pytest.raises(DeviceError, match="bad CRC"):
        await board.read_board(1)
    assert _sent(host, start) == [READ_INPUTS, READ_INPUTS]
    assert sim.history == []


async def test_echoing_adapter() -> None:
    async with _rig(echo=True) as (sim, host, board):
        assert board.health().ok
        start = len(host.frames)
        await board.unlock(1, 1)
        assert _sent(host, start) == [RELAY_1_ON, RELAY_1_OFF]
        assert sim.energised() == []
        states = await board.read_board(1)
        assert states[0].door is DoorSensor.OPEN


async def test_echo_of_an_unlock_is_never_taken_for_a_dead_boards_reply() -> None:
    async with _rig(echo=True) as (sim, _, board):
        sim.board(2).fault = Fault.OFFLINE
        with pytest.raises(DeviceError, match="did not answer"):
            await board.unlock(2, 1)
        with pytest.raises(DeviceError, match="did not answer"):
            await board.read_board(2)


@pytest.mark.parametrize("echo", [True, False])
async def test_echo_is_learned_before_a_write_whose_reply_mirrors_it(
    echo: bool,
) -> None:
    # No units to switch off at open, so nothing has shown the echo yet.
    async with _rig(echo=echo, units=()) as (sim, host, board):
        await board.unlock(1, 1)
        assert _sent(host) == [READ_COILS, RELAY_1_ON, RELAY_1_OFF]
        sim.board(2).fault = Fault.OFFLINE
        with pytest.raises(DeviceError, match="did not answer"):
            await board.unlock(2, 1)
        assert not sim.energised()


async def test_unlearned_echo_and_a_dead_board_send_no_on() -> None:
    async with _rig(units=()) as (sim, host, board):
        sim.board(1).fault = Fault.OFFLINE
        with pytest.raises(DeviceError, match="did not answer a coil read"):
            await board.unlock(1, 1)
        assert RELAY_1_ON not in _sent(host)


async def test_missing_port_says_so(tmp_path: object) -> None:
    board = ModbusRelayBoard(f"{tmp_path}/ttyUSB4")
    with pytest.raises(DeviceError, match="does not exist"):
        await board.open()
    await board.close()
