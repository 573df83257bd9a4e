"""Lock-bus driver timings against the simulated boards and relays.

For each driver: the time from `unlock()` to the last byte of the unlock (or
relay "on") frame arriving on the simulated line, and the time to read every
board of a ten-board bus; next to each, the time the same bytes take on a
real wire at the driver's configured baud rate (10 bits a byte, 8N1). A pty
has no baud rate, so on real hardware expect roughly the measured time plus
the wire time; the lines after the table say so for each driver. Relay
modules without inputs have no bus read; the USB HID relay has no wire.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from drivers.bank import LockBank
from drivers.base import LockBus
from drivers.hid_relay import DcttechHidRelay
from drivers.modbus_relay import ModbusRelayBoard
from drivers.registry import make_lock_bus
from drivers.relays import SerialRelayModule
from drivers.serial_bus import SerialLockBus
from drivers.sim.hid_relay import SimDcttechRelay
from drivers.sim.modbus_relay import SimModbusRelayBoards
from drivers.sim.pty import PtyHost
from drivers.sim.registry import SIMULATED_RELAY_MODULES, make_simulated_lock_bus
from drivers.sim.usb_backend import SimUsbBackend

UNLOCK_RUNS = 50
READ_RUNS = 10


@dataclass(frozen=True)
class Result:
    """One driver's figures, in milliseconds; None where it does not apply."""

    family: str
    baudrate: int | None
    unlock_median: float
    unlock_p95: float
    unlock_bytes: int
    read_median: float | None = None
    read_bytes: int | None = None
    boards: int = 10

    def wire_ms(self, nbytes: int | None) -> float | None:
        """The time `nbytes` take on the wire at this driver's baud rate."""
        if nbytes is None or self.baudrate is None:
            return None
        return _wire_ms(nbytes, self.baudrate)


def _wire_ms(nbytes: int, baudrate: int) -> float:
    return nbytes * 10 / baudrate * 1000


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


FAMILIES: dict[str, range] = {
    "kerong-cu16": range(0, 10),
    "kerong-cu48": range(0, 10),
    "lockboard-8a80": range(1, 11),
    "winnsen": range(1, 11),
    "wkly": range(0, 10),
}


async def _read_bytes(bus: LockBus, host: PtyHost, board: int) -> int:
    """Bytes on the wire, both ways, for one board's read."""
    heard, said = len(host.received), host.sent_bytes
    await bus.read_board(board)
    return len(host.received) - heard + host.sent_bytes - said


async def _time_reads(bus: LockBus, boards: range) -> float:
    bank = LockBank({"bus": bus}, {f"D{b}": ("bus", b, 1) for b in boards})
    reads = []
    for _ in range(READ_RUNS):
        started = time.monotonic()
        states = await bank.read_all()
        reads.append((time.monotonic() - started) * 1000)
    assert not bank.out_of_service, states
    return statistics.median(reads)


async def _time_to_line(
    host: PtyHost, frame: bytes, unlock: Callable[[], Coroutine[Any, Any, None]]
) -> float:
    """Milliseconds from calling `unlock` to `frame` arriving whole on the line."""
    count = len(host.frames)
    started = time.monotonic()
    task = asyncio.create_task(unlock())
    arrived = await host.wait_frame(frame, since=count)
    await task
    return (arrived.at - started) * 1000


async def _measure_board(family: str, boards: range) -> Result:
    sim = make_simulated_lock_bus(family, boards)
    async with PtyHost(sim) as host:
        bus = make_lock_bus(family, host.port, unlock_guard=0.0)
        assert isinstance(bus, SerialLockBus)
        await bus.open()
        try:
            frame = bus.unlock_frame(boards[0], 1)
            unlocks = []
            for _ in range(UNLOCK_RUNS):
                unlocks.append(
                    await _time_to_line(host, frame, lambda: bus.unlock(boards[0], 1))
                )
                sim.close_door(boards[0], 1)
            per_board = await _read_bytes(bus, host, boards[0])
            read = await _time_reads(bus, boards)
        finally:
            await bus.close()
    return Result(
        family,
        bus.baudrate,
        statistics.median(unlocks),
        _p95(unlocks),
        len(frame),
        read,
        per_board * len(boards),
        len(boards),
    )


async def _measure_serial_relay(name: str) -> Result:
    sim = SIMULATED_RELAY_MODULES[name]()
    async with PtyHost(sim) as host:
        module = make_lock_bus(name, host.port, pulse=0.0)
        assert isinstance(module, SerialRelayModule)
        await module.open()
        try:
            frame = module.on_frame(1)
            unlocks = [
                await _time_to_line(host, frame, lambda: module.unlock(0, 1))
                for _ in range(UNLOCK_RUNS)
            ]
        finally:
            await module.close()
    return Result(
        name, module.baudrate, statistics.median(unlocks), _p95(unlocks), len(frame)
    )


async def _measure_modbus() -> Result:
    units = range(1, 11)
    sim = SimModbusRelayBoards(units)
    async with PtyHost(sim) as host:
        board = ModbusRelayBoard(host.port, pulse=0.0, units=units)
        await board.open()
        try:
            on = bytes.fromhex("01 05 00 00 FF 00 8C 3A")
            unlocks = []
            for _ in range(UNLOCK_RUNS):
                unlocks.append(
                    await _time_to_line(host, on, lambda: board.unlock(1, 1))
                )
                sim.close_door(1, 1)
            per_board = await _read_bytes(board, host, 1)
            read = await _time_reads(board, units)
        finally:
            await board.close()
    return Result(
        "modbus-relay",
        board.baudrate,
        statistics.median(unlocks),
        _p95(unlocks),
        len(on),
        read,
        per_board * len(units),
        len(units),
    )


async def _measure_hid_relay() -> Result:
    module = SimDcttechRelay()
    relay = DcttechHidRelay(pulse=0.0, backend=SimUsbBackend([module]))
    await relay.open()
    unlocks = []
    try:
        for _ in range(UNLOCK_RUNS):
            count = len(module.history)
            started = time.monotonic()
            await relay.unlock(0, 1)
            switched_on = module.history[count]
            unlocks.append((switched_on.at - started) * 1000)
    finally:
        await relay.close()
    return Result(
        "dcttech-hid-relay", None, statistics.median(unlocks), _p95(unlocks), 8
    )


async def measure() -> list[Result]:
    """Every driver's figures, lock boards first."""
    results = [await _measure_board(name, boards) for name, boards in FAMILIES.items()]
    results.append(await _measure_modbus())
    for name in SIMULATED_RELAY_MODULES:
        results.append(await _measure_serial_relay(name))
    results.append(await _measure_hid_relay())
    return results


def _cell(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def table(results: list[Result]) -> list[str]:
    """The figures, one row per driver."""
    lines = [
        f"{'driver':<18}{'baud':>7}  {'unlock→line ms':>15} {'p95':>6} {'wire':>6}"
        f"  {'10-board read ms':>17} {'wire':>7}"
    ]
    for r in results:
        baud = "USB" if r.baudrate is None else str(r.baudrate)
        lines.append(
            f"{r.family:<18}{baud:>7}  {r.unlock_median:>15.3f} "
            f"{r.unlock_p95:>6.3f} {_cell(r.wire_ms(r.unlock_bytes), 6, 2)}"
            f"  {_cell(r.read_median, 17, 2)} {_cell(r.wire_ms(r.read_bytes), 7, 1)}"
        )
    return lines


def comparison(r: Result) -> str:
    """One sentence comparing a driver's times with its frames' time on the wire."""
    unlock_wire = r.wire_ms(r.unlock_bytes)
    if unlock_wire is None:
        return (
            f"{r.family}: the relay switches {r.unlock_median:.3f} ms after "
            "unlock() (a USB control transfer; no serial wire)."
        )
    text = (
        f"{r.family}: unlock reaches the line in {r.unlock_median:.2f} ms, and its "
        f"{r.unlock_bytes}-byte frame needs {unlock_wire:.2f} ms at {r.baudrate} "
        f"baud, so about {r.unlock_median + unlock_wire:.1f} ms on a real wire"
    )
    read_wire = r.wire_ms(r.read_bytes)
    if r.read_median is None or read_wire is None:
        return text + "; no inputs to read."
    share = read_wire / (r.read_median + read_wire) * 100
    return text + (
        f"; reading {r.boards} boards takes {r.read_median:.1f} ms here and "
        f"{read_wire:.1f} ms of frames on the wire, about "
        f"{r.read_median + read_wire:.0f} ms in all ({share:.0f}% wire)."
    )


async def run(write: Callable[[str], object] = sys.stdout.write) -> list[Result]:
    """Measure every driver and write the table and the comparisons."""
    results = await measure()
    for line in table(results):
        write(line + "\n")
    write("\n")
    for result in results:
        write(comparison(result) + "\n")
    return results


def main() -> int:
    """Run the driver benchmarks; 0 on success."""
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
