"""`kiosk barcode RAW`: what the terminal makes of one scan."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.scan import ScanResult

_DESCRIPTION = """\
Show what the terminal makes of a scan: the symbology from the AIM identifier,
the GS1 fields, the carrier and the tracking number, or why the scan is refused.

RAW is the scanner's bytes written as text with backslash escapes:
  \\x1d (GS, the FNC1 separator)  \\r  \\n  \\t  \\0  \\\\  and \\xHH for any byte.
"""

_EPILOG = """\
examples:
  kiosk barcode '1Z5R89390357567127\\r'
  kiosk barcode ']C142012345\\x1d9400111206206406260787\\r'
  kiosk barcode --json '1001921334250001000300779017972697'
  kiosk barcode --suffix '\\t' --carriers ups,fedex '9400111206206406260787\\t'

exit status: 0 whether the scan is accepted or refused; 2 on bad arguments.
"""


# What the reason line is called when there is no tracking number.
_REASON_LABELS = {
    "near_miss": "near miss",
    "unreadable": "unreadable",
    "refused": "refused",
}


def add_parser(subparsers: Any) -> None:
    """Register the `barcode` command.

    Args:
        subparsers: The action returned by `add_subparsers` on the main parser.
    """
    parser = subparsers.add_parser(
        "barcode",
        help="show what the terminal makes of a scan",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("raw", metavar="RAW", help="the scanner's bytes, escaped")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of text"
    )
    parser.add_argument(
        "--suffix",
        metavar="ESCAPED",
        help="the suffix the scanner is configured to add, escaped (e.g. '\\r\\n');"
        " CR, LF and TAB are stripped from the end in any case",
    )
    parser.add_argument(
        "--carriers",
        metavar="LIST",
        help="comma-separated carriers accepted at this site (usps, fedex, ups,"
        " dhl, royal_mail, upu_post, amazon, sscc); default: all",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Interpret the scan and print the result.

    Args:
        args: The parsed arguments.

    Returns:
        0 once the scan is interpreted, accepted or refused; 2 on a bad escape,
        an unknown carrier name or a carrier list that names none.
    """
    from kiosk.scan import Carrier, EscapeError, interpret, unescape

    escaped = {"RAW": args.raw, "--suffix": args.suffix}
    decoded: dict[str, bytes | None] = {}
    for name, text in escaped.items():
        try:
            decoded[name] = unescape(text) if text else None
        except EscapeError as error:
            sys.stderr.write(f"kiosk barcode: error: {name}: {error}\n")
            return 2
    raw, suffix = decoded["RAW"] or b"", decoded["--suffix"]

    carriers: list[Carrier] | None = None
    if args.carriers is not None:
        # An empty name (a trailing comma, a doubled one) names nothing.
        names = [n.strip().lower() for n in args.carriers.split(",") if n.strip()]
        known = {carrier.value for carrier in Carrier}
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            what = f"unknown carrier {', '.join(unknown)}" if unknown else "no carrier"
            sys.stderr.write(
                f"kiosk barcode: error: --carriers: {what};"
                f" known: {', '.join(sorted(known))}\n"
            )
            return 2
        carriers = [Carrier(name) for name in names]

    result = interpret(raw, suffix=suffix, accepted_carriers=carriers)
    if args.json:
        sys.stdout.write(json.dumps(_as_json(result)) + "\n")
    else:
        sys.stdout.write(_as_text(result))
    return 0


def _as_json(result: ScanResult) -> dict[str, Any]:
    """The result as a JSON-ready dictionary."""
    from kiosk.scan import escape

    return {
        "tracking_number": result.tracking_number,
        "reason": result.reason,
        "status": result.status.value,
        "near_miss": result.near_miss,
        "carrier": result.carrier.value if result.carrier else None,
        "label_format": result.label_format,
        "symbology": result.symbology,
        "aim_id": result.aim_id,
        "gs1": [
            {"ai": field.ai, "title": field.title, "value": field.value}
            for field in result.gs1
        ],
        "text": result.text,
        "raw": escape(result.raw),
    }


def _as_text(result: ScanResult) -> str:
    """The result as lines for a technician to read."""
    from kiosk.scan import escape

    lines = [
        f"raw:             {escape(result.raw)}",
        f"data:            {escape(result.text.encode('utf-8'))}",
        f"symbology:       {result.symbology or 'not sent'}"
        + (f" ({result.aim_id})" if result.aim_id else ""),
    ]
    for field in result.gs1:
        lines.append(f"GS1 ({field.ai}) {field.title}: {field.value}")
    lines.append(f"status:          {result.status.value}")
    if result.carrier is not None:
        lines.append(f"carrier:         {result.carrier.value}")
    if result.label_format is not None:
        lines.append(f"format:          {result.label_format}")
    if result.tracking_number is not None:
        lines.append(f"tracking number: {result.tracking_number}")
    else:
        label = _REASON_LABELS.get(result.status.value, "refused")
        lines.append(f"{label + ':':<17}{result.reason}")
    return "\n".join(lines) + "\n"
