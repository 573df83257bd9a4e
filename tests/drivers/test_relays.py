"""Serial relay modules against their simulated twins on real ptys."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from drivers.base import DeviceError, LockState
from drivers.relays import (
    KmtronicRelayModule,
    LcusRelayModule,
    NumatoRelayModule,
    SerialRelayModule,
    numato_index,
)
from drivers.sim.pty import PtyHost
from drivers.sim.relays import (
    SimKmtronicRelay,
    SimLcusRelay,
    SimNumatoRelay,
    SimRelayModule,
)
from tests.drivers.waiting import until

MODULES: list[tuple[type[SerialRelayModule], type[SimRelayModule], str, str]] = [
    (LcusRelayModule, SimLcusRelay, "A0 01 01 A2", "A0 01 00 A1"),
    (KmtronicRelayModule, SimKmtronicRelay, "FF 01 01", "FF 01 00"),
    (NumatoRelayModule, SimNumatoRelay, b"relay on 0\r".hex(), b"relay off 0\r".hex()),
]
IDS = ["lcus", "kmtronic", "numato"]


def test_lcus_vectors() -> None:
    module = LcusRelayModule("/dev/null")
    assert module.on_frame(2) == bytes.fromhex("A0 02 01 A3")
    assert module.off_frame(2) == bytes.fromhex("A0 02 00 A2")
    assert module.on_frame(8) == bytes.fromhex("A0 08 01 A9")
    assert module.off_frame(8) == bytes.fromhex("A0 08 00 A8")


def test_numato_indices_continue_past_f() -> None:
    assert [numato_index(c) for c in (1, 10, 11, 16, 17, 32)] == [
        "0",
        "9",
        "A",
        "F",
        "G",
        "V",
    ]


@pytest.mark.parametrize(("driver", "twin", "on", "off"), MODULES, ids=IDS)
async def test_pulse_switches_on_then_off(
    driver: type[SerialRelayModule], twin: type[SimRelayModule], on: str, off: str
) -> None:
    sim = twin(channels=8)
    async with PtyHost(sim) as host:
        module = driver(host.port, pulse=0.05)
        await module.open()
        try:
            # Opening switches all eight off and energises nothing.
            await until(lambda: len(sim.history) == 8)
            assert not any(switch.on for switch in sim.history)
            start = len(sim.history)
            await module.unlock(0, 1)
            await host.wait_frame(bytes.fromhex(off), since=start)
            await until(lambda: len(sim.history) >= start + 2)
            states = await module.read_board(0)
        finally:
            await module.close()
    switched_on, switched_off = sim.history[start : start + 2]
    assert (switched_on.channel, switched_on.on) == (1, True)
    assert (switched_off.channel, switched_off.on) == (1, False)
    assert 0.04 <= switched_off.at - switched_on.at < 0.5
    assert bytes.fromhex(on) in [f.data for f in host.frames]
    assert sim.energised() == []
    assert all(s.lock is LockState.UNKNOWN for s in states)


@pytest.mark.parametrize(("driver", "twin", "on", "off"), MODULES, ids=IDS)
async def test_cancelled_pulse_still_switches_off(
    driver: type[SerialRelayModule], twin: type[SimRelayModule], on: str, off: str
) -> None:
    sim = twin(channels=8)
    async with PtyHost(sim) as host:
        module = driver(host.port, pulse=2.0)
        await module.open()
        try:
            task = asyncio.create_task(module.unlock(0, 3))
            await until(lambda: sim.energised() == [3])
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await until(lambda: sim.energised() == [])
        finally:
            await module.close()
    assert [(s.channel, s.on) for s in sim.history][-2:] == [(3, True), (3, False)]


async def test_pulse_is_capped() -> None:
    assert LcusRelayModule("/dev/null", pulse=60, max_pulse=3).pulse == 3


async def test_relay_range_and_board_are_checked() -> None:
    module = KmtronicRelayModule("/dev/null", channels=4)
    with pytest.raises(ValueError, match="1-4"):
        await module.unlock(0, 5)
    with pytest.raises(ValueError, match="board must be 0"):
        await module.unlock(1, 1)


async def test_missing_module_is_reported(tmp_path: object) -> None:
    module = LcusRelayModule(f"{tmp_path}/ttyUSB3")
    with pytest.raises(DeviceError, match="ttyUSB3"):
        await module.unlock(0, 1)
    assert not module.health().ok
