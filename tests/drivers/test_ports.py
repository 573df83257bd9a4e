"""Ports found by USB ids, and a bus that finds its board again after a rename."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from drivers import ports
from drivers.base import DeviceError
from drivers.kerong import KerongCU16Bus
from drivers.ports import UsbMatch, parse_port, resolve_port
from drivers.sim.kerong import SimKerongBus
from drivers.sim.pty import PtyHost


@dataclass
class Info:
    """The fields of pyserial's ListPortInfo that matching reads."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None = None
    location: str | None = None


def test_parse_port() -> None:
    assert parse_port("/dev/ttyUSB0") == "/dev/ttyUSB0"
    assert parse_port("usb:1a86:7523") == UsbMatch(0x1A86, 0x7523)
    assert parse_port("usb:0403:6001:DAE004XC") == UsbMatch(0x0403, 0x6001, "DAE004XC")
    assert parse_port("usb:1a86:7523@1-1.2:1.0") == UsbMatch(
        0x1A86, 0x7523, None, "1-1.2:1.0"
    )
    with pytest.raises(ValueError, match="hex"):
        parse_port("usb:zz:7523")


def test_resolve_by_ids_serial_and_location() -> None:
    plugged = [
        Info("/dev/ttyUSB0", 0x1A86, 0x7523, location="1-1.2:1.0"),
        Info("/dev/ttyUSB1", 0x1A86, 0x7523, location="1-1.3:1.0"),
        Info("/dev/ttyACM0", 0x2A19, 0x0C05, "N1"),
    ]
    assert resolve_port("usb:2a19:0c05", lambda: plugged) == "/dev/ttyACM0"
    assert resolve_port("usb:1a86:7523@1-1.3:1.0", lambda: plugged) == "/dev/ttyUSB1"
    with pytest.raises(DeviceError, match="several ports"):
        resolve_port("usb:1a86:7523", lambda: plugged)
    with pytest.raises(DeviceError, match="0403:6001") as caught:
        resolve_port("usb:0403:6001", lambda: plugged)
    assert "/dev/ttyACM0 (2a19:0c05)" in str(caught.value)


async def test_board_found_again_under_a_new_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugged: list[Info] = []
    monkeypatch.setattr(ports, "_comports", lambda: plugged)
    sim = SimKerongBus(boards=(0,))
    first, second = PtyHost(sim), PtyHost(sim)
    await first.start()
    plugged.append(Info(first.slave_name, 0x1A86, 0x7523))
    bus = KerongCU16Bus("usb:1a86:7523", timeout=0.1, retries=0)
    try:
        await bus.open()
        assert len(await bus.read_board(0)) == 16
        # Unplugged: the old name dies, and nothing matches for a while.
        await first.stop()
        plugged.clear()
        with pytest.raises(DeviceError):
            await bus.read_board(0)
        with pytest.raises(DeviceError, match="1a86:7523"):
            await bus.read_board(0)
        assert "1a86:7523" in bus.health().detail
        # Plugged back in, under another name.
        await second.start()
        plugged.append(Info(second.slave_name, 0x1A86, 0x7523))
        assert len(await bus.read_board(0)) == 16
        assert bus.health().ok
    finally:
        await bus.close()
        await second.stop()
        await first.stop()
