"""`kiosk sim`: play the physical world of a running simulator from a shell."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.commands._args import add_config_option, load_config, positive_int

_ACTIONS = {
    "status": "show every door's physical state",
    "open": "pull a door open (it opens only if unlatched, or with --force)",
    "close": "push a door shut",
    "put": "put a package in a door (its item sensor sees it)",
    "take": "take a door's contents out",
    "scan": "scan a barcode with the simulated scanner",
    "keys": "press keys on the simulated keypad device (0-9, * and #)",
    "frames": "show the frames a simulated line received, newest last",
    "world": "run the simulated devices alone, in the foreground",
}


def add_parser(subparsers: Any) -> None:
    """Register the `sim` command and its actions."""
    parser = subparsers.add_parser(
        "sim",
        help="act on the simulated locker bank of a running simulator",
        description=(
            "Act on the simulated world behind a terminal running in simulator "
            "mode, as a person at the locker bank would: open and close doors, "
            "scan barcodes; or look at what the simulated devices received. "
            "It talks to the simulator's control socket named by the "
            "configuration (default: config/simulator.toml)."
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    add_config_option(common)
    common.add_argument("--json", action="store_true", help="print raw JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in _ACTIONS.items():
        action = actions.add_parser(name, help=text, description=text, parents=[common])
        if name in ("open", "close", "put", "take"):
            action.add_argument("door", help="door identifier, e.g. A3")
        if name == "open":
            action.add_argument(
                "--force", action="store_true", help="force a latched door"
            )
        if name == "scan":
            action.add_argument(
                "data",
                help="the barcode's text; backslash escapes such as \\x1d (GS) "
                "and \\r send control bytes",
            )
        if name == "keys":
            action.add_argument("keys", help="the keys, e.g. '123456#'")
        if name == "frames":
            action.add_argument(
                "--line", default=None, help="only this line, e.g. bus0 or scanner"
            )
            action.add_argument(
                "--last",
                type=positive_int,
                default=10,
                help="how many frames, newest last (default 10)",
            )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Carry out one action; exit 1 when the simulator refuses or is absent."""

    settings = load_config(args, "sim")
    if settings is None:
        return 2
    if args.action == "world":
        return _run_world(settings)

    from kiosk.sim.control import SimulatorUnavailable, request_sync

    message: dict[str, Any] = {
        "op": "status" if args.action == "frames" else args.action
    }
    if args.action in ("open", "close", "put", "take"):
        message["door"] = args.door
    if args.action == "open":
        message["force"] = args.force
    if args.action == "keys":
        message["keys"] = args.keys
    if args.action == "scan":
        from kiosk.scan import EscapeError, unescape

        try:
            message["hex"] = unescape(args.data).hex()
        except EscapeError as error:
            sys.stderr.write(f"kiosk sim: {error}\n")
            return 2
    try:
        answer = request_sync(settings.simulator.control_socket, message)
    except SimulatorUnavailable as error:
        sys.stderr.write(f"kiosk sim: {error}. Is `kiosk run --sim` running?\n")
        return 1
    if not answer.get("ok"):
        sys.stderr.write(f"kiosk sim: {answer.get('error')}\n")
        return 1
    sys.stdout.write(_render(args, answer) + "\n")
    if args.action == "open" and not answer["open"]:
        return 1  # a latched door stays shut: say so to scripts too
    if args.action == "frames" and args.line not in (None, *answer["frames"]):
        return 1
    return 0


def _render(args: argparse.Namespace, answer: dict[str, Any]) -> str:
    if args.json:
        return json.dumps(answer, indent=2)
    if args.action == "status":
        return "\n".join(
            f"{door:>4}  {'OPEN' if s['open'] else 'shut'}"
            f"  {'latched' if s['latched'] else 'unlatched'}"
            f"  {'item' if s['item'] else 'empty'}"
            for door, s in answer["doors"].items()
        )
    if args.action == "frames":
        if args.line is not None and args.line not in answer["frames"]:
            known = ", ".join(answer["frames"])
            return f"no line {args.line!r}; lines are {known}"
        lines = []
        for line, frames in answer["frames"].items():
            if args.line in (None, line):
                lines += [f"{line}: {f['hex']}" for f in frames[-args.last :]]
        return "\n".join(lines) or "no frames yet"
    if args.action == "open":
        door = args.door
        return f"door {door} is open" if answer["open"] else f"door {door} is locked"
    return "done"


def _run_world(settings: Any) -> int:
    import asyncio
    import contextlib
    import signal

    from kiosk.sim.world import SimulationError, World

    async def serve() -> None:
        world = World(settings)
        await world.start()
        sys.stdout.write(f"simulated devices up; control socket {world.socket_path}\n")
        sys.stdout.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await world.stop()

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve())
    except SimulationError as error:
        sys.stderr.write(f"kiosk sim: {error}\n")
        return 1
    return 0
