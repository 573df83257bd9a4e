"""Brings a terminal up: the simulated world if asked for, then the app."""

from __future__ import annotations

import logging

from kiosk.config import ConfigError, Settings

log = logging.getLogger("kiosk")


def launch(settings: Settings) -> int:
    """Run the terminal until the app ends; return the exit code."""
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
