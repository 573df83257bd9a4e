"""`kiosk doctor`: what hardware is there, what answers, and does a lock work."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from kiosk.commands._args import add_config_option, load_config


def add_parser(subparsers: Any) -> None:
    """Register the `doctor` command."""
    parser = subparsers.add_parser(
        "doctor",
        help="list serial ports and USB devices, probe the configured devices",
        description=(
            "Lists the serial ports (pyserial) and USB devices (pyusb) present, "
            "then probes every configured device: each lock board is asked for "
            "its state (nothing is pulsed), the scanner's port is opened, the "
            "keypad's port is opened and listened to for a moment (keys pressed "
            "then are counted, never shown), and Konnect is asked for the "
            "location's doors. With --pulse DOOR one "
            "lock is pulsed and its sensor read back; that needs the terminal "
            "stopped (it holds the ports) and is recorded in the journal. "
            "Exit status: 0 if everything answered, 1 if something did not."
        ),
    )
    add_config_option(parser)
    parser.add_argument(
        "--pulse", metavar="DOOR", help="pulse this door's lock and check its sensor"
    )
    parser.add_argument(
        "--keypad-seconds",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how long to listen to the keypad (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Probe and report; 1 if anything configured did not answer."""
    from kiosk.config import ConfigError

    settings = load_config(args, "doctor", state=True)
    if settings is None:
        return 2
    from kiosk.doctor import diagnose

    try:
        report = asyncio.run(
            diagnose(settings, pulse=args.pulse, keypad_window=args.keypad_seconds)
        )
    except ConfigError as error:
        sys.stderr.write(f"kiosk doctor: {error}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(_render(report))
    return 0 if report["healthy"] else 1


def _render(report: dict[str, Any]) -> str:
    lines = ["Serial ports:"]
    lines += [
        f"  {p['device']}  {p['description']}" + (f"  ({p['usb']})" if p["usb"] else "")
        for p in report["serialPorts"]
    ] or ["  none"]
    lines.append("USB devices:")
    usb = report["usbDevices"]
    if isinstance(usb, str):
        lines.append(f"  {usb}")
    else:
        lines += [f"  {d}" for d in usb] or ["  none"]
    lines.append("Configured devices:")
    for check in report["checks"]:
        mark = "ok  " if check["ok"] else "FAIL"
        lines.append(f"  {mark} {check['device']}: {check['detail']}")
    if report.get("pulse"):
        pulse = report["pulse"]
        mark = "ok  " if pulse["ok"] else "FAIL"
        lines.append(f"Pulse of door {pulse['door']}:")
        lines.append(f"  {mark} {pulse['detail']}")
    return "\n".join(lines) + "\n"
