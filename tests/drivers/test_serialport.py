"""The asyncio serial port itself: errors a technician can act on, exact reads."""

from __future__ import annotations

import errno

import pytest

from drivers.base import DeviceError
from drivers.serialport import ReplyTimeout, SerialPort, describe_open_error
from drivers.sim.pty import PtyHost
from drivers.sim.scanner import SimSerialScanner
from tests.drivers.waiting import until


def test_permission_denied_names_the_port_and_the_fix() -> None:
    message = describe_open_error("/dev/ttyUSB0", PermissionError(errno.EACCES, "x"))
    assert "/dev/ttyUSB0" in message
    assert "dialout" in message


def test_busy_port_says_who_has_it() -> None:
    message = describe_open_error("/dev/ttyUSB0", OSError(errno.EBUSY, "busy"))
    assert "in use by another process" in message


async def test_read_exactly_joins_pieces_and_times_out() -> None:
    sim = SimSerialScanner()
    async with PtyHost(sim) as host:
        port = SerialPort(host.port)
        await port.open()
        try:
            host.send(b"ABCDEFGH", pieces=4, gap=0.005)
            assert await port.read_exactly(6, within=1) == b"ABCDEF"
            assert await port.read_exactly(2, within=1) == b"GH"
            with pytest.raises(ReplyTimeout, match=host.port):
                await port.read_exactly(1, within=0.02)
            await port.write(b"hello")
            await until(lambda: bytes(host.received) == b"hello")
        finally:
            await port.close()
    assert bytes(host.received) == b"hello"
    assert sim.commands == b"hello"


async def test_second_opener_is_refused() -> None:
    async with PtyHost(SimSerialScanner()) as host:
        first, second = SerialPort(host.port), SerialPort(host.port)
        await first.open()
        try:
            with pytest.raises(DeviceError, match="in use"):
                await second.open()
        finally:
            await first.close()
            await second.close()


async def test_closed_port_refuses_io() -> None:
    port = SerialPort("/dev/null-port")
    with pytest.raises(DeviceError, match="not open"):
        await port.write(b"x")
    assert port.bit_time(1) == pytest.approx(10 / 9600)
