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
    _name_each_parser(parser)
    return parser


def _name_each_parser(parser: argparse.ArgumentParser) -> None:
    """Let each (sub-)command know its own parser, for its own usage line.

    argparse reports a stray argument with the top-level usage; with the parser
    of the command that was given, the message shows what that command takes.
    """
    parser.set_defaults(parser=parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _name_each_parser(child)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script."""
    parser = build_parser()
    args, stray = parser.parse_known_args(argv)
    if stray:
        args.parser.error(f"unrecognized arguments: {' '.join(stray)}")
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
