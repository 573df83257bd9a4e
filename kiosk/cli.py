"""The `kiosk` command line: one sub-command per module in `kiosk.commands`.

Each command module exposes `add_parser(subparsers)`, which registers its parser
and sets `handler`, a function taking the parsed arguments and returning the exit
code. Command modules import their heavy dependencies inside the handler, so that
`kiosk --help` stays fast and production never loads the emulator.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "kiosk.commands.run",
    "kiosk.commands.emulator",
    "kiosk.commands.sim",
    "kiosk.commands.doctor",
    "kiosk.commands.outbox",
    "kiosk.commands.barcode",
    "kiosk.commands.labels",
)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command module that is present registered."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Locker Access Terminal for the ByBox Konnect platform.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
