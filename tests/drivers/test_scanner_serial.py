"""The serial line scanner against its simulated twin on a real pty."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from drivers.base import DeviceError
from drivers.scan_framing import ScanFramer, parse_suffix
from drivers.scanner_serial import SerialLineScanner
from drivers.sim.pty import PtyHost
from drivers.sim.scanner import SimSerialScanner
from tests.drivers.waiting import until


class Scans:
    """Collects scans and lets a test wait for a number of them."""

    def __init__(self) -> None:
        self.items: list[bytes] = []
        self._event = asyncio.Event()

    def __call__(self, data: bytes) -> None:
        self.items.append(data)
        self._event.set()

    async def wait(self, count: int, within: float = 1.0) -> list[bytes]:
        async with asyncio.timeout(within):
            while len(self.items) < count:
                self._event.clear()
                await self._event.wait()
        return self.items


@contextlib.asynccontextmanager
async def _running(
    suffix: str, **settings: object
) -> AsyncIterator[tuple[SimSerialScanner, SerialLineScanner, Scans]]:
    sim = SimSerialScanner(suffix)
    host = PtyHost(sim)
    await host.start()
    scanner = SerialLineScanner(host.port, suffix=suffix, **settings)  # type: ignore[arg-type]
    scans = Scans()
    await scanner.start(scans)
    try:
        yield sim, scanner, scans
    finally:
        await scanner.stop()
        await host.stop()


@pytest.fixture
async def cr_scanner() -> AsyncIterator[
    tuple[SimSerialScanner, SerialLineScanner, Scans]
]:
    async with _running("CR") as running:
        yield running


async def test_a_scan_arrives_without_its_suffix(
    cr_scanner: tuple[SimSerialScanner, SerialLineScanner, Scans],
) -> None:
    sim, scanner, scans = cr_scanner
    sim.scan(b"1Z999AA10123456784")
    assert await scans.wait(1) == [b"1Z999AA10123456784"]
    assert scanner.health().ok


async def test_a_scan_in_pieces_is_joined(
    cr_scanner: tuple[SimSerialScanner, SerialLineScanner, Scans],
) -> None:
    sim, _, scans = cr_scanner
    sim.scan(b"JJD0002249941234567", pieces=5, gap=0.01)
    assert await scans.wait(1) == [b"JJD0002249941234567"]


async def test_back_to_back_scans_stay_apart(
    cr_scanner: tuple[SimSerialScanner, SerialLineScanner, Scans],
) -> None:
    sim, _, scans = cr_scanner
    sim.scan(b"AAA")
    sim.scan(b"BBB")
    assert await scans.wait(2) == [b"AAA", b"BBB"]


@pytest.mark.parametrize("suffix", ["CRLF", "TAB", "LF"])
async def test_suffix_variants(suffix: str) -> None:
    async with _running(suffix) as (sim, _, scans):
        sim.scan(b"CODE-1")
        sim.scan(b"CODE-2", pieces=3)
        assert await scans.wait(2) == [b"CODE-1", b"CODE-2"]


async def test_crlf_suffix_keeps_an_embedded_cr() -> None:
    async with _running("CRLF") as (sim, _, scans):
        sim.scan(b"LINE1\rLINE2\nLINE3", pieces=4)
        assert await scans.wait(1) == [b"LINE1\rLINE2\nLINE3"]


async def test_embedded_cr_with_cr_suffix_ends_on_idle() -> None:
    async with _running("CR", embedded_suffix=True) as (sim, _, scans):
        sim.scan(b"2D\rDATA\rMATRIX")
        assert await scans.wait(1) == [b"2D\rDATA\rMATRIX"]


async def test_idle_timeout_ends_a_scan_without_suffix() -> None:
    async with _running("NONE", idle_timeout=0.03) as (sim, _, scans):
        sim.scan(b"NO-SUFFIX", pieces=3, gap=0.005)
        assert await scans.wait(1) == [b"NO-SUFFIX"]


async def test_a_failing_callback_does_not_stop_reading() -> None:
    sim = SimSerialScanner()
    async with PtyHost(sim) as host:
        seen: list[bytes] = []

        def callback(data: bytes) -> None:
            seen.append(data)
            if data == b"BAD":
                raise RuntimeError("consumer bug")

        scanner = SerialLineScanner(host.port)
        await scanner.start(callback)
        try:
            sim.scan(b"BAD")
            sim.scan(b"GOOD")
            await until(lambda: len(seen) >= 2)
        finally:
            await scanner.stop()
    assert seen == [b"BAD", b"GOOD"]


async def test_unplugged_scanner_reports_and_comes_back(tmp_path: object) -> None:
    link = f"{tmp_path}/scanner"
    sim = SimSerialScanner()
    host = PtyHost(sim, link=link)
    await host.start()
    scanner = SerialLineScanner(link, reconnect_delay=0.02, reconnect_max=0.05)
    scans = Scans()
    await scanner.start(scans)
    try:
        await host.stop()
        await until(lambda: not scanner.health().ok)
        assert link in scanner.health().detail
        # Plugged in again: a new pty behind the same stable name.
        await host.start()
        await until(lambda: scanner.health().ok, within=2)
        sim.scan(b"AGAIN")
        assert await scans.wait(1) == [b"AGAIN"]
    finally:
        await scanner.stop()
        await host.stop()


async def test_start_on_a_missing_port_raises(tmp_path: object) -> None:
    scanner = SerialLineScanner(f"{tmp_path}/ttyACM7")
    with pytest.raises(DeviceError, match="ttyACM7"):
        await scanner.start(lambda data: None)
    assert not scanner.health().ok
    await scanner.stop()


def test_an_oversized_read_is_one_scan_cut_short() -> None:
    framer = ScanFramer(b"\r", max_length=4)
    assert framer.feed(b"ABCDEFGHI") == [b"ABCD"]
    assert framer.feed(b"JKL") == []
    assert framer.feed(b"M\rNEXT\r") == [b"NEXT"]
    assert framer.feed(b"ABCDEFG\rXY\r") == [b"ABCD", b"XY"]


def test_an_oversized_read_ends_at_a_suffix_split_across_chunks() -> None:
    framer = ScanFramer(b"\r\n", max_length=4)
    assert framer.feed(b"ABCDEFGH\r") == [b"ABCD"]
    assert framer.feed(b"\nOK\r\n") == [b"OK"]


def test_without_a_suffix_an_oversized_read_ends_when_the_line_idles() -> None:
    framer = ScanFramer(b"", max_length=4)
    assert framer.feed(b"ABCDEFGHIJ") == [b"ABCD"]
    assert framer.feed(b"KLMNOPQRST") == []
    assert framer.idle() == []
    assert framer.feed(b"XY") == []
    assert framer.idle() == [b"XY"]


def test_unknown_suffix_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="CRLF"):
        parse_suffix("SEMICOLON")
