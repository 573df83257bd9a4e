"""Lock-board driver timings against the simulated boards on real ptys.

For each family: the time from `unlock()` to the last byte of the unlock frame
arriving on the simulated line, and the time to read every board of a ten-board
bus; next to each, the time the same bytes take on a real wire at the driver's
configured baud rate (10 bits a byte, 8N1). A pty has no baud rate, so on real
hardware expect roughly the measured time plus the wire time.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.bank import LockBank
from drivers.registry import make_lock_bus
from drivers.serial_bus import SerialLockBus
from drivers.sim.pty import PtyHost
from drivers.sim.registry import make_simulated_lock_bus

UNLOCK_RUNS = 50
READ_RUNS = 10


@dataclass(frozen=True)
class Result:
    """One family's figures, in milliseconds."""

    family: str
    baudrate: int
    unlock_median: float
    unlock_p95: float
    unlock_wire: float
    read_median: float
    read_wire: float


def _wire_ms(nbytes: int, baudrate: int) -> float:
    return nbytes * 10 / baudrate * 1000


FAMILIES: dict[str, range] = {
    "kerong-cu16": range(0, 10),
    "kerong-cu48": range(0, 10),
    "lockboard-8a80": range(1, 11),
    "winnsen": range(1, 11),
    "wkly": range(0, 10),
}


async def _read_bytes(bus: SerialLockBus[Any], host: PtyHost, board: int) -> int:
    """Bytes on the wire, both ways, for one board's read."""
    heard, said = len(host.received), host.sent_bytes
    await bus.read_board(board)
    return len(host.received) - heard + host.sent_bytes - said


async def _measure(family: str, boards: range) -> Result:
    sim = make_simulated_lock_bus(family, boards)
    async with PtyHost(sim) as host:
        bus = make_lock_bus(family, host.port, unlock_guard=0.0)
        assert isinstance(bus, SerialLockBus)
        await bus.open()
        try:
            unlocks = []
            frame = bus.unlock_frame(boards[0], 1)
            for _ in range(UNLOCK_RUNS):
                count = len(host.frames)
                started = time.monotonic()
                await bus.unlock(boards[0], 1)
                arrived = await host.wait_frame(frame, since=count)
                unlocks.append((arrived.at - started) * 1000)
                sim.close_door(boards[0], 1)
            per_board = await _read_bytes(bus, host, boards[0])
            bank = LockBank({"bus": bus}, {f"D{b}": ("bus", b, 1) for b in boards})
            reads = []
            for _ in range(READ_RUNS):
                started = time.monotonic()
                states = await bank.read_all()
                reads.append((time.monotonic() - started) * 1000)
            assert not bank.out_of_service, states
        finally:
            await bus.close()
    baud = bus.baudrate
    return Result(
        family,
        baud,
        statistics.median(unlocks),
        sorted(unlocks)[int(len(unlocks) * 0.95) - 1],
        _wire_ms(len(frame), baud),
        statistics.median(reads),
        _wire_ms(per_board * len(boards), baud),
    )


async def run(write: Callable[[str], object] = sys.stdout.write) -> list[Result]:
    """Measure every family and write a table; return the figures."""
    results = [await _measure(name, boards) for name, boards in FAMILIES.items()]
    write(
        f"{'driver':<16}{'baud':>7}  {'unlock→line ms':>15} {'p95':>6} {'wire':>6}"
        f"  {'10-board read ms':>17} {'wire':>7}\n"
    )
    for r in results:
        write(
            f"{r.family:<16}{r.baudrate:>7}  {r.unlock_median:>15.3f} "
            f"{r.unlock_p95:>6.3f} {r.unlock_wire:>6.2f}"
            f"  {r.read_median:>17.2f} {r.read_wire:>7.1f}\n"
        )
    return results


def main() -> int:
    """Run the driver benchmarks; 0 on success."""
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
