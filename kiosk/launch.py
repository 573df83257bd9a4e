"""Brings a terminal up: the simulated world if asked for, then the app."""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
from typing import TYPE_CHECKING

from kiosk.config import ConfigError, Settings
from kiosk.runtime import Terminal

if TYPE_CHECKING:
    from kiosk.sim.world import WorldThread

log = logging.getLogger("kiosk")


class StartError(Exception):
    """The terminal cannot start; the message says why in words."""


def launch(settings: Settings, *, headless: bool = False) -> int:
    """Run the terminal until the app ends; return the exit code.

    Headless, the terminal runs without a screen until SIGTERM or SIGINT: keys
    come only from its keypad and scanner devices.

    Raises:
        SystemExit: with a one-line message when the terminal cannot start.
    """
    from kiosk.assemble import build_terminal, check_devices
    from kiosk.single import AlreadyRunning, hold_lock

    world: WorldThread | None = None
    emulator: subprocess.Popen[bytes] | None = None
    try:
        check_devices(settings)
        hold_lock(settings.terminal.state_dir / "kiosk.lock")
        if settings.simulator.enabled:
            world, emulator = _start_simulation(settings)
        terminal = build_terminal(settings)
        if headless:
            asyncio.run(_run_headless(terminal))
            return 0
        return _run_app(settings, terminal)
    except (ConfigError, AlreadyRunning, StartError) as error:
        log.error("%s", error)
        raise SystemExit(f"kiosk: {error}") from None
    finally:
        if world is not None:
            world.stop()
        if emulator is not None:
            from kiosk.sim.emulator_process import stop_emulator

            stop_emulator(emulator)


def _start_simulation(
    settings: Settings,
) -> tuple[WorldThread | None, subprocess.Popen[bytes] | None]:
    """Start what simulator mode needs and is not already running.

    An emulator or a simulated world that already answers is used as it is:
    started apart (`kiosk emulator`, `kiosk sim world`), they outlive the
    terminal, as Konnect and the locker bank do.
    """
    from kiosk.sim.control import SimulatorUnavailable, request_sync
    from kiosk.sim.emulator_process import (
        EmulatorStartError,
        start_emulator,
        stop_emulator,
    )
    from kiosk.sim.world import SimulationError, WorldThread

    simulator = settings.simulator
    emulator = None
    world = None
    try:
        if simulator.start_emulator:
            emulator = start_emulator(
                settings.konnect.base_url, settings.terminal.state_dir
            )
        try:
            request_sync(simulator.control_socket, {"op": "status"}, timeout=1.0)
            log.info("using the simulated world already running")
        except SimulatorUnavailable:
            world = WorldThread(settings)
            world.start()
    except (EmulatorStartError, SimulationError) as error:
        stop_emulator(emulator)
        raise StartError(str(error)) from None
    return world, emulator


def _run_app(settings: Settings, terminal: Terminal) -> int:
    from kiosk.ui.app import KioskApp

    simulator = settings.simulator
    app = KioskApp(
        terminal,
        title=settings.terminal.name,
        simulator_socket=simulator.control_socket if simulator.enabled else None,
        doors=settings.door_ids(),
        console_profile=settings.ui.console_profile,
    )
    app.run()
    return app.return_code or 0


async def _run_headless(terminal: Terminal) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    terminal.subscribe(lambda view: log.info("screen: %r", view))
    await terminal.start()
    try:
        await stop.wait()
    finally:
        await terminal.stop()
        terminal.journal.close()
