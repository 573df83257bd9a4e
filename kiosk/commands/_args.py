"""Argument types and options that several commands share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import Settings


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """The `--config FILE` every terminal-side command takes."""
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the terminal's configuration file (default: config/simulator.toml)",
    )


def load_config(
    args: argparse.Namespace, command: str, *, state: bool = False
) -> Settings | None:
    """The configuration `--config` names; None once stderr has said why not.

    With `state`, the command keeps files in the state folder: it is made now,
    so a folder that cannot be is said in words, not as a traceback.
    """
    from kiosk.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
        if state:
            settings.make_state_dir()
    except ConfigError as error:
        sys.stderr.write(f"kiosk {command}: {error}\n")
        return None
    return settings


def _number(text: str, kind: type[int] | type[float]) -> float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def positive_int(text: str) -> int:
    """A whole number of 1 or more."""
    value = int(_number(text, int))
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def positive_seconds(text: str) -> float:
    """A time in seconds greater than zero."""
    value = _number(text, float)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    value = int(_number(text, int))
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return value
