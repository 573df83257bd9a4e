"""`kiosk labels`: printable barcode sheets of a location's packages, doors, SKUs.

Reads the running Konnect emulator over its Partner API, as a partner would:
a client-credentials token, then the open goods-ins (tracking numbers and
access codes), the location's doors and the SKUs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.commands._args import positive_seconds

if TYPE_CHECKING:
    import httpx

    from kiosk.barcodes.sheets import LabelItem, Sheet

# Partner API paths and the token form; the emulator's own read endpoints
# (goods-in listing, door view, SKU listing) are not in Konnect's guide.
TOKEN_PATH = "/Auth/core/connect/token"
GOODS_IN_PATH = "/Api/goodsin"
DOORS_PATH = "/Api/locations/{location}/doors"
SKUS_PATH = "/Api/skus"

_DESCRIPTION = """\
Write printable sheets of barcodes for the emulator's pre-advised packages
(tracking numbers and access codes), the location's doors and the SKUs, so that
a technician can test a real scanner at a real bank. Needs the Konnect emulator
running (kiosk emulator).
"""


class LabelsError(Exception):
    """Something the technician must fix; the message says what."""


@dataclass(frozen=True)
class PartnerData:
    """What the sheets are made from, as the Partner API returned it."""

    goods_in: list[dict[str, Any]]
    doors: list[dict[str, Any]]
    skus: list[dict[str, Any]]
    warnings: list[str]
    goods_in_read: bool = True
    """Whether the goods-in list was read; an empty one then means none."""


def add_parser(subparsers: Any) -> None:
    """Register the `labels` command.

    Args:
        subparsers: The action returned by `add_subparsers` on the main parser.
    """
    parser = subparsers.add_parser(
        "labels",
        help="print barcode sheets of the emulator's packages, doors and SKUs",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--url",
        default="http://127.0.0.1:8470",
        help="base URL of the Konnect emulator (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("labels"),
        metavar="DIR",
        help="folder to write the sheets to (default: %(default)s)",
    )
    parser.add_argument(
        "--format",
        default="svg,png,pdf",
        metavar="LIST",
        help="comma-separated formats: svg, png, pdf (default: %(default)s)",
    )
    parser.add_argument(
        "--location", default="BH1", help="location identifier (default: %(default)s)"
    )
    parser.add_argument("--client-id", default="demo-partner", help="OAuth client id")
    parser.add_argument(
        "--client-secret", default="demo-partner-secret", help="OAuth client secret"
    )
    parser.add_argument(
        "--scope", default="StockonnectPartnerAPI", help="OAuth scope to ask for"
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=10.0,
        help="seconds per request (default: 10)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Fetch the data, write the sheets, list the files.

    Args:
        args: The parsed arguments.

    Returns:
        0 when sheets were written; 1 when the emulator cannot be reached or
        refuses, or there is nothing to print; 2 on a bad format list.
    """
    from kiosk.barcodes.sheets import Format, write_sheets

    try:
        formats = {Format(name.strip().lower()) for name in args.format.split(",")}
    except ValueError:
        sys.stderr.write(
            "kiosk labels: error: --format takes svg, png and pdf, "
            f"not {args.format!r}\n"
        )
        return 2

    try:
        data = fetch(args)
    except LabelsError as error:
        sys.stderr.write(f"kiosk labels: {error}\n")
        return 1
    for warning in data.warnings:
        sys.stderr.write(f"kiosk labels: warning: {warning}\n")

    sheets, skipped = build_sheets(data, args.location)
    for warning in skipped:
        sys.stderr.write(f"kiosk labels: warning: {warning}\n")
    try:
        written = write_sheets(sheets, args.out, formats)
    except OSError as error:
        sys.stderr.write(
            f"kiosk labels: cannot write to {args.out}: {error.strerror}\n"
        )
        return 1
    if not written:
        sys.stderr.write("kiosk labels: nothing to print: no packages, doors or SKUs\n")
        return 1
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0


def fetch(args: argparse.Namespace) -> PartnerData:
    """Read goods-ins, doors and SKUs from the Partner API.

    Args:
        args: The parsed arguments (url, credentials, location, timeout).

    Returns:
        The lists; an endpoint the server does not have is skipped with a
        warning.

    Raises:
        LabelsError: When the server cannot be reached or refuses the token.
    """
    import httpx

    warnings: list[str] = []
    try:
        with httpx.Client(base_url=args.url, timeout=args.timeout) as client:
            token = _token(client, args)
            client.headers["Authorization"] = f"Bearer {token}"
            doors_path = DOORS_PATH.format(location=args.location)
            if client.get(doors_path).status_code == 404:
                # Sheets of another location's SKUs alone would mislead.
                raise LabelsError(
                    f"the emulator at {args.url} has no location {args.location!r}"
                )
            goods_in = _list(
                client,
                GOODS_IN_PATH,
                {"locationIdentifier": args.location},
                None,
                warnings,
            )
            # The first list read: any warning so far is about it.
            goods_in_read = not warnings
            doors = _list(client, doors_path, {}, "doors", warnings)
            skus = _list(client, SKUS_PATH, {}, None, warnings)
    except httpx.TransportError as error:
        raise LabelsError(
            f"cannot reach the Konnect emulator at {args.url} ({error}); "
            "is it running? Start it with: kiosk emulator"
        ) from error
    return PartnerData(goods_in, doors, skus, warnings, goods_in_read)


def _token(client: httpx.Client, args: argparse.Namespace) -> str:
    """A bearer token by the client-credentials grant."""
    response = client.post(
        TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "scope": args.scope,
            "client_id": args.client_id,
            "client_secret": args.client_secret,
        },
    )
    if response.status_code != 200:
        raise LabelsError(
            f"{args.url} refused a token for client {args.client_id!r}: "
            f"HTTP {response.status_code} {_snippet(response)}"
        )
    try:
        token = response.json()["access_token"]
    except (ValueError, KeyError, TypeError) as error:
        raise LabelsError(f"{args.url}{TOKEN_PATH} gave no access_token") from error
    if not isinstance(token, str):
        raise LabelsError(f"{args.url}{TOKEN_PATH} gave no access_token")
    return token


def _list(
    client: httpx.Client,
    path: str,
    params: dict[str, str],
    key: str | None,
    warnings: list[str],
) -> list[dict[str, Any]]:
    """GET a list of objects; a list under `key` of an object is accepted too."""
    response = client.get(path, params=params)
    if response.status_code != 200:
        warnings.append(
            f"skipped {path}: HTTP {response.status_code} {_snippet(response)}"
        )
        return []
    try:
        body = response.json()
    except ValueError:
        warnings.append(f"skipped {path}: the answer is not JSON")
        return []

    if key is not None and isinstance(body, dict):
        body = body.get(key)
    if not isinstance(body, list):
        warnings.append(f"skipped {path}: the answer is not a list")
        return []
    return [entry for entry in body if isinstance(entry, dict)]


def _snippet(response: httpx.Response) -> str:
    """The start of a response body, for an error message."""
    return response.text[:200].strip()


def build_sheets(data: PartnerData, location: str) -> tuple[list[Sheet], list[str]]:
    """The sheets for packages, doors and SKUs.

    Args:
        data: What the Partner API returned.
        location: The location identifier, for the titles.

    Returns:
        The sheets, and a warning for each value that cannot be a barcode
        and when there are no packages.
    """
    from kiosk.barcodes.sheets import Sheet

    skipped: list[str] = []
    if data.goods_in_read and not data.goods_in:
        skipped.append(f"no pre-advised packages at {location}: no package sheet")
    packages: list[LabelItem] = []
    for entry in data.goods_in:
        tracking = _text(entry.get("trackingNumber"))
        code = _text(entry.get("accessCode"))
        if tracking:
            _add(packages, tracking, f"Package {tracking}", skipped)
        if code:
            _add(packages, code, f"Access code for {tracking or '?'}", skipped)

    doors: list[LabelItem] = []
    for entry in data.doors:
        identifier = _text(entry.get("identifier"))
        if identifier:
            _add(doors, identifier, f"Door {identifier}", skipped)

    skus: list[LabelItem] = []
    for entry in data.skus:
        identifier = _text(entry.get("identifier"))
        name = _text(entry.get("name"))
        barcode = _text(entry.get("barcode"))
        if identifier:
            _add(skus, identifier, f"SKU {identifier} {name}".strip(), skipped)
        if barcode and barcode != identifier:
            _add(skus, barcode, f"Barcode of SKU {identifier}", skipped)

    sheets = [
        Sheet("packages", f"Pre-advised packages at {location}", tuple(packages)),
        Sheet("doors", f"Doors at {location}", tuple(doors)),
        Sheet("skus", "SKUs", tuple(skus)),
    ]
    return sheets, skipped


def _text(value: object) -> str:
    """A JSON value as text; anything but a string or number is empty."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _add(items: list[LabelItem], value: str, caption: str, skipped: list[str]) -> None:
    """Add an item, or note why its value cannot be a barcode."""
    from kiosk.barcodes.sheets import BarcodeTextError, item_for

    try:
        items.append(item_for(value, caption))
    except BarcodeTextError as error:
        skipped.append(f"left out {caption}: {error}")
