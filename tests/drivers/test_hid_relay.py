"""The dcttech HID relay through pyusb, against a simulated module on its backend."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from drivers.base import DeviceError, LockState
from drivers.hid_relay import DcttechHidRelay, command
from drivers.sim.hid_relay import SimDcttechRelay
from drivers.sim.usb_backend import SimUsbBackend
from tests.drivers.waiting import until


def test_command_reports() -> None:
    assert command(True, 1) == bytes.fromhex("FF 01 00 00 00 00 00 00")
    assert command(False, 2) == bytes.fromhex("FD 02 00 00 00 00 00 00")


async def test_finds_the_module_by_id_and_pulses() -> None:
    other = SimDcttechRelay(module_id="AAAAA", count=4)
    mine = SimDcttechRelay(module_id="BBBBB", count=2)
    relay = DcttechHidRelay("BBBBB", pulse=0.05, backend=SimUsbBackend([other, mine]))
    await relay.open()
    try:
        assert relay.channels == 2
        assert not mine.kernel_driver  # detached so the interface can be claimed
        await relay.unlock(0, 2)
        states = await relay.read_board(0)
        assert relay.relay_states() == [False, False]
    finally:
        await relay.close()
    on, off = mine.history
    assert (on.channel, on.on, off.channel, off.on) == (2, True, 2, False)
    assert 0.04 <= off.at - on.at < 0.5
    assert other.history == []
    assert [s.lock for s in states] == [LockState.UNKNOWN] * 2


async def test_cancelled_pulse_switches_off() -> None:
    module = SimDcttechRelay()
    relay = DcttechHidRelay(pulse=5, backend=SimUsbBackend([module]))
    await relay.open()
    try:
        task = asyncio.create_task(relay.unlock(0, 1))
        await until(lambda: module.energised() == [1])
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert module.energised() == []
    finally:
        await relay.close()


async def test_unplugged_module_is_reported_and_found_again() -> None:
    module = SimDcttechRelay(module_id="CCCCC")
    relay = DcttechHidRelay("CCCCC", backend=SimUsbBackend([module]))
    await relay.open()
    try:
        module.plugged = False
        with pytest.raises(DeviceError, match="unplugged"):
            await relay.read_board(0)
        assert "16c0:05df" in (relay.health().port or "")
        assert "CCCCC" in relay.health().detail
        with pytest.raises(DeviceError, match="not plugged in"):
            await relay.read_board(0)
        module.plugged = True
        assert len(await relay.read_board(0)) == 2
        assert relay.health().ok
    finally:
        await relay.close()


async def test_wrong_id_lists_the_modules_present() -> None:
    relay = DcttechHidRelay("ZZZZZ", backend=SimUsbBackend([SimDcttechRelay()]))
    with pytest.raises(DeviceError, match="SIM01"):
        await relay.open()
