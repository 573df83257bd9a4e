"""`kiosk run`: the terminal itself, full screen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.commands._args import load_config


def add_parser(subparsers: Any) -> None:
    """Register the `run` command."""
    parser = subparsers.add_parser(
        "run",
        help="run the terminal full screen",
        description=(
            "Run the Locker Access Terminal full screen. With --sim, the "
            "simulator's configuration is used (unless --config names another): "
            "the local Konnect emulator is started if none answers, and "
            "simulated lock boards and a scanner appear on pseudo-terminals. "
            "In simulator mode F2 shows the simulator panel and Ctrl+Q quits; "
            "otherwise no key quits. Logs go to STATE_DIR/kiosk.log."
        ),
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="configuration file (default with --sim: config/simulator.toml)",
    )
    parser.add_argument(
        "--sim",
        action="store_true",
        help="simulator mode: simulated devices and a local Konnect emulator",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="run without a screen, until SIGTERM; keys come from the keypad "
        "and scanner devices only (for scripted tests and diagnostics)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="logging threshold (default INFO)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the configuration and run the terminal until it is quit."""
    from kiosk import logs

    if args.config is None and not args.sim:
        sys.stderr.write("kiosk run: give --config FILE, or --sim\n")
        return 2
    settings = load_config(args, "run", state=True)
    if settings is None:
        return 2
    if args.sim and not settings.simulator.enabled:
        sys.stderr.write(
            f"kiosk run: {args.config} does not enable [simulator]; drop --sim"
        )
        return 2
    logs.configure(settings.terminal.state_dir / "kiosk.log", args.log_level)
    from kiosk.launch import launch

    return launch(settings, headless=args.headless)
