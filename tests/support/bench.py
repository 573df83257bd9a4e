"""A terminal on a simulated bank, driven by Textual's pilot: the e2e test bench."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from kiosk.assemble import build_terminal
from kiosk.config import Settings
from kiosk.runtime import Terminal
from kiosk.sim.world import World
from kiosk.ui.app import KioskApp


@dataclass
class Bench:
    """The parts of one simulator-mode terminal a test reaches into."""

    settings: Settings
    world: World
    terminal: Terminal
    app: KioskApp


@contextlib.asynccontextmanager
async def simulated_terminal(settings: Settings) -> AsyncIterator[Bench]:
    """The simulated world of `settings` up, and its terminal's app ready to run."""
    world = World(settings)
    await world.start()
    terminal = build_terminal(settings)
    app = KioskApp(
        terminal,
        title=settings.terminal.name,
        simulator_socket=settings.simulator.control_socket,
        doors=settings.door_ids(),
    )
    try:
        yield Bench(settings, world, terminal, app)
    finally:
        await world.stop()
        terminal.journal.close()
