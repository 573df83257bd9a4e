"""Fixtures for driver tests: simulated devices on real pseudo-terminals."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from drivers.kerong import KerongCU16Bus
from drivers.sim.kerong import SimKerongBus
from drivers.sim.pty import PtyHost


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
def no_leaked_fds() -> Iterator[None]:
    """Fail a test that leaves a file descriptor open (a pty, a port)."""
    before = _open_fds()
    yield
    after = _open_fds()
    opened = []
    for fd in after - before:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "/dev/" in target:
            opened.append(target)
    assert not opened, f"leaked device fds: {opened}"


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread behind: drivers use the event loop only."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leaked, f"leaked threads: {leaked}"


@pytest.fixture(autouse=True)
async def no_leaked_tasks() -> AsyncIterator[None]:
    """Fail a test that leaves a task running on the loop."""
    yield
    await asyncio.sleep(0)
    current = asyncio.current_task()
    others = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not others, f"leaked tasks: {others}"


@pytest.fixture
async def kerong_sim() -> AsyncIterator[tuple[SimKerongBus, PtyHost]]:
    """A simulated bus with boards 0, 1 and 2 on a live pty."""
    model = SimKerongBus(boards=(0, 1, 2))
    host = PtyHost(model)
    await host.start()
    yield model, host
    await host.stop()


@pytest.fixture
async def kerong_bus(
    kerong_sim: tuple[SimKerongBus, PtyHost],
) -> AsyncIterator[KerongCU16Bus]:
    """The production driver, opened on the simulated bus's pty."""
    _, host = kerong_sim
    bus = KerongCU16Bus(host.port, timeout=0.15, retries=1, unlock_guard=0.02)
    await bus.open()
    yield bus
    await bus.close()
