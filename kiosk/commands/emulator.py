"""`kiosk emulator`: serve the local Konnect emulator."""

from __future__ import annotations

import argparse
import errno
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

from kiosk.commands._args import port_number, positive_int

DEFAULT_PORT = 8470
DEFAULT_DB = "var/emulator.sqlite3"


def add_parser(subparsers: Any) -> None:
    """Register the `emulator` command."""
    parser = subparsers.add_parser(
        "emulator",
        help="serve the local Konnect emulator (Partner API and terminal API)",
        description=(
            "Serve an emulator of the ByBox Konnect Partner API and of the "
            "terminal API, with its state in SQLite so that a restart keeps it. "
            "A new database is seeded with the demo locker bank (location BH1, "
            "16 doors) and the demo clients demo-partner / demo-partner-secret "
            "and bh1-terminal / bh1-terminal-secret. The OpenAPI document is at "
            "/openapi.json and the docs at /docs."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help="TCP port to listen on"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(DEFAULT_DB),
        help="SQLite file holding the emulator's state; created if missing",
    )
    parser.add_argument(
        "--seed",
        type=Path,
        default=None,
        metavar="FILE",
        help="JSON seed file applied to a new or reset database; "
        "None means the demo seed shipped with the emulator",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="wipe the whole state and apply the seed again before serving",
    )
    parser.add_argument(
        "--token-lifetime",
        type=positive_int,
        default=3600,
        metavar="SECONDS",
        help="lifetime of access tokens (the token response's expires_in)",
    )
    parser.add_argument(
        "--code-lifetime",
        type=positive_int,
        default=7 * 24 * 3600,
        metavar="SECONDS",
        help="lifetime of goods-in access codes",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="logging threshold",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 0 on a clean stop, 1 if the state is unusable."""
    from kiosk.emulator import EmulatorSettings, serve

    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = EmulatorSettings(
        db_path=args.db,
        host=args.host,
        port=args.port,
        seed_path=args.seed,
        reset=args.reset,
        token_lifetime_s=args.token_lifetime,
        code_lifetime_s=args.code_lifetime,
    )
    try:
        serve(settings)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"port {args.port} on {args.host} is already in use"
        else:
            reason = str(error)
        logging.getLogger("kiosk.emulator").error("cannot serve: %s", reason)
        return 1
    except (ValueError, sqlite3.Error) as error:
        logging.getLogger("kiosk.emulator").error("cannot serve: %s", error)
        return 1
    return 0
