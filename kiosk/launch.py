"""Brings a terminal up: the simulated world if asked for, then the app."""

from __future__ import annotations

import asyncio
import logging
import signal

from kiosk.config import ConfigError, Settings
from kiosk.runtime import Terminal

log = logging.getLogger("kiosk")


def launch(settings: Settings, *, headless: bool = False) -> int:
    """Run the terminal until the app ends; return the exit code.

    Headless, the terminal runs without a screen until SIGTERM or SIGINT: keys
    come only from its keypad and scanner devices.
    """
    from kiosk.assemble import build_terminal
    from kiosk.ui.app import KioskApp

    world = None
    emulator = None
    simulator = settings.simulator
    try:
        if simulator.enabled:
            from kiosk.sim.emulator_process import start_emulator
            from kiosk.sim.world import WorldThread

            if simulator.start_emulator:
                emulator = start_emulator(
                    settings.konnect.base_url,
                    simulator.emulator_port,
                    settings.terminal.state_dir,
                )
            world = WorldThread(settings)
            world.start()
        terminal = build_terminal(settings)
        if headless:
            asyncio.run(_run_headless(terminal))
            return 0
        app = KioskApp(
            terminal,
            title=settings.terminal.name,
            simulator_socket=simulator.control_socket if simulator.enabled else None,
            doors=settings.door_ids(),
            console_profile=settings.ui.console_profile,
        )
        app.run()
        return app.return_code or 0
    except ConfigError as error:
        log.error("%s", error)
        raise SystemExit(f"kiosk: {error}") from None
    finally:
        if world is not None:
            world.stop()
        if emulator is not None:
            from kiosk.sim.emulator_process import stop_emulator

            stop_emulator(emulator)


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
