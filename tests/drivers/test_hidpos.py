"""HID-POS scanners through pyusb against a simulated scanner on its backend."""

from __future__ import annotations

import pytest

from drivers.base import DeviceError
from drivers.hidpos import HidPosAssembler, report
from drivers.scanner_hidpos import HidPosScanner
from drivers.sim.hidpos_scanner import SimHidPosScanner
from drivers.sim.usb_backend import SimUsbBackend
from tests.drivers.waiting import until


def test_reports_are_joined_across_more_follows() -> None:
    assembler = HidPosAssembler()
    assert assembler.feed(report(b"A" * 56, b"]d2", more=True)) is None
    assert assembler.feed(report(b"BC", b"]d2")) == b"]d2" + b"A" * 56 + b"BC"
    assert HidPosAssembler(include_aim=False).feed(report(b"XY")) == b"XY"
    assert assembler.feed(b"\x01" + bytes(63)) is None  # not a scanned-data report


async def test_long_scan_arrives_whole() -> None:
    device = SimHidPosScanner()
    scanner = HidPosScanner(
        "usb:0c2e:0b61", backend=SimUsbBackend([device]), poll_interval=0.005
    )
    scans: list[bytes] = []
    await scanner.start(scans.append)
    try:
        code = bytes(range(0x21, 0x7F)) * 2  # 188 bytes: four reports
        device.scan(code, aim=b"]d2")
        device.scan(b"1Z999AA10123456784", aim=b"]C0")
        await until(lambda: len(scans) == 2)
    finally:
        await scanner.stop()
    assert scans == [b"]d2" + code, b"]C01Z999AA10123456784"]
    assert not device.kernel_driver


async def test_honeywell_mode_switch_and_unplug() -> None:
    device = SimHidPosScanner()
    scanner = HidPosScanner(
        "usb:0c2e:0b61",
        backend=SimUsbBackend([device]),
        poll_interval=0.005,
        honeywell_mode=True,
        reconnect_delay=0.01,
    )
    scans: list[bytes] = []
    await scanner.start(scans.append)
    try:
        assert device.features == [b"\xfe\x01"]
        device.plugged = False
        await until(lambda: not scanner.health().ok)
        assert "0c2e:0b61" in scanner.health().detail
        device.plugged = True
        await until(lambda: scanner.health().ok)
        device.scan(b"BACK")
        await until(lambda: scans == [b"]C0BACK"])
    finally:
        await scanner.stop()


async def test_absent_scanner_and_bad_port() -> None:
    scanner = HidPosScanner("usb:0c2e:0b61", backend=SimUsbBackend([]))
    with pytest.raises(DeviceError, match="not plugged in"):
        await scanner.start(lambda data: None)
    with pytest.raises(ValueError, match="usb:VID:PID"):
        HidPosScanner("/dev/ttyACM0")
