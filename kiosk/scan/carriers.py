"""Carrier rules: from a label's data to the tracking number the carrier issued.

Each rule looks at the compact data (no spaces, upper case, GS kept) and the
GS1 fields, and returns a `Reading` when the data has the carrier's shape: with
a tracking number when the check digit passes, without one (a near miss) when
the shape is right but the check digit fails or the read is cut short.

Sources: protocols.md section 5, which checked every rule against
jkeen/tracking_number_data; the carriers' label specifications (USPS
Publication 199 for IMpb, UPU S10 for postal items, GS1 General Specifications
for SSCC).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.scan import checkdigits as cd
from kiosk.scan.cleaning import GS
from kiosk.scan.countries import ISO_3166_ALPHA_2
from kiosk.scan.result import Carrier, Gs1Field


@dataclass(frozen=True)
class Reading:
    """One carrier rule's reading of a label."""

    carrier: Carrier
    label_format: str
    tracking_number: str | None
    """None for a near miss."""

    problem: str | None = None
    """Why this is a near miss."""


Rule = Callable[[str, tuple[Gs1Field, ...]], "Reading | None"]

_IMPB_LENGTHS = frozenset({22, 26, 30, 34})
_ROUTING = re.compile(r"420(\d{5}|\d{9})", re.ASCII)
_UPS = re.compile(r"1Z[0-9A-Z]{16}", re.ASCII)
_AMAZON = re.compile(r"TB[ACM]\d{12}", re.ASCII)
_AMAZON_SHORT = re.compile(r"TB[ACM]\d{6,11}|TB[ACM]\d{13,14}", re.ASCII)
_S10 = re.compile(r"([A-Z]{2})(\d{8})(\d)([A-Z]{2})", re.ASCII)
# DHL Express piece IDs: J + 2-3 letters + 9-10 digits. With the letters JD
# they are ISO 15459 licence plates, printed "(J) JD01 4600 ...": the first J
# is the data identifier, as (00) is before an SSCC, and DHL's number is the
# rest, JD + digits, which a label's text or a pre-advice may give alone.
_DHL_PLATE = re.compile(r"J?(JD(?:\d{9,10}|\d{18}))", re.ASCII)
_DHL_PIECE = re.compile(r"J[A-Z]{2,3}\d{9,10}", re.ASCII)
_DHL_ECOMMERCE = re.compile(r"(GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)\d{10,39}", re.ASCII)


def _digits(text: str) -> bool:
    """Only ASCII digits: `str.isdigit` also takes superscripts and other
    scripts' digits, which no carrier prints."""
    return text.isascii() and text.isdigit()


def _gs1_check_ok(digits: str) -> bool:
    """Whether an all-digit string ends in its GS1 mod 10 check digit."""
    return cd.passes(cd.gs1_mod10(digits[:-1]), digits[-1])


def _impb_ok(number: str) -> bool:
    """A USPS IMpb package ID: 9[1-5], 22/26/30/34 digits, mod 10 passes."""
    return (
        _digits(number)
        and len(number) in _IMPB_LENGTHS
        and "91" <= number[:2] <= "95"
        and _gs1_check_ok(number)
    )


def _usps_20_ok(number: str) -> bool:
    """The older 20-digit USPS number; ``00`` starts an SSCC instead.

    Some are checked as printed, others as if the ``91`` application ID they
    dropped were still in front.
    """
    return (
        _digits(number)
        and len(number) == 20
        and not number.startswith("00")
        and (_gs1_check_ok(number) or _gs1_check_ok("91" + number))
    )


def _impb_construct_ok(number: str) -> bool:
    """Whether an IMpb's lengths fit Publication 199's constructs.

    After the application ID and 3 service type digits comes the mailer ID:
    9 digits when it starts with 9, else 6. Application ID 92 takes only the
    9-digit kind, 93 only the 6-digit kind; with a 9-digit mailer ID the
    package ID is 22, 26 or (for 94) 30 digits long, with a 6-digit one 22 or
    26. The older ``91`` numbers are 22 digits.
    """
    if len(number) == 20:
        return True
    ai, long_mailer = number[:2], number[5:6] == "9"
    if ai == "91":
        return len(number) == 22
    if long_mailer:
        return ai in {"92", "94", "95"} and (
            len(number) in (22, 26) or (ai == "94" and len(number) == 30)
        )
    return ai in {"93", "94", "95"} and len(number) in (22, 26)


def _impb_likelihood(number: str) -> tuple[bool, bool]:
    """How likely a package ID is the one a routed label carries, to compare.

    When both ZIP lengths leave a number whose check digit passes, the one
    that fits an IMpb construct wins, then the 22-digit one, by far the most
    common length.
    """
    return _impb_construct_ok(number), len(number) == 22


def _usps_routed(parts: list[str]) -> Reading | None:
    """USPS with the ``420`` + ZIP routing element and an FNC1 after it."""
    if len(parts) < 2 or not _ROUTING.fullmatch(parts[0]):
        return None

    package = parts[1]
    if _impb_ok(package) or _usps_20_ok(package):
        return Reading(Carrier.USPS, "USPS IMpb with ZIP routing", package)
    problem = (
        "USPS label: the package number after the ZIP fails its check digit"
        if len(package) in _IMPB_LENGTHS
        else "USPS label: the package number after the ZIP is cut short"
    )
    return Reading(Carrier.USPS, "USPS IMpb with ZIP routing", None, problem)


def _usps(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """USPS IMpb, with or without ``420`` + ZIP routing, GS present or dropped."""
    if GS in compact:
        return _usps_routed(compact.split(GS))
    if not _digits(compact):
        return None

    if compact.startswith("420"):
        # A wedge scanner drops the GS: try both ZIP lengths and keep the one
        # that leaves a package ID whose check digit passes.
        packages = [
            package
            for package in (compact[8:], compact[12:])
            if _impb_ok(package) or _usps_20_ok(package)
        ]
        if packages:
            package = max(packages, key=_impb_likelihood)
            return Reading(Carrier.USPS, "USPS IMpb with ZIP routing", package)
        if len(compact) in (8, 12):
            return Reading(
                Carrier.USPS,
                "USPS ZIP routing",
                None,
                "USPS label: only the ZIP routing was read, not the package number",
            )
        if any("91" <= compact[n : n + 2] <= "95" for n in (8, 12)):
            return Reading(
                Carrier.USPS,
                "USPS IMpb with ZIP routing",
                None,
                "USPS label: the package number fails its check digit or is cut short",
            )
        return None

    if _impb_ok(compact):
        return Reading(Carrier.USPS, "USPS IMpb", compact)
    if _usps_20_ok(compact):
        return Reading(Carrier.USPS, "USPS 20-digit", compact)
    if len(compact) in _IMPB_LENGTHS and "91" <= compact[:2] <= "95":
        return Reading(
            Carrier.USPS, "USPS IMpb", None, "USPS label: the check digit fails"
        )
    return None


def _fedex_34(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx 34-digit barcode: the last 12 digits are the tracking number.

    The check digit covers the 13 digits before it, the tracking number and
    the two digits in front of it.
    """
    # FedEx Express codes start with a digit 0-8; FedEx Ground's with 96.
    fedex_start = compact[:1] != "9" or compact.startswith("96")
    if len(compact) != 34 or not _digits(compact) or not fedex_start:
        return None

    if cd.passes(cd.fedex_34(compact[20:33]), compact[33]):
        return Reading(Carrier.FEDEX, "FedEx 34-digit barcode", compact[-12:])
    if compact.startswith(("10", "96")):
        return Reading(
            Carrier.FEDEX,
            "FedEx 34-digit barcode",
            None,
            "FedEx label: the tracking number in the barcode fails its check digit",
        )
    return None


def _fedex_astra(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx ASTRA 32-digit barcode: digits 17 to 28 are the tracking number.

    jkeen/tracking_number_data ``fedex_astra_32``: a 3, then fields not yet
    understood, the 12-digit FedEx Express number, and 4 more digits. The
    number's own check digit is the only one the barcode carries.
    """
    if len(compact) != 32 or not _digits(compact) or compact[0] != "3":
        return None

    tracking = compact[16:28]
    if cd.passes(cd.fedex_12(tracking[:-1]), tracking[-1]):
        return Reading(Carrier.FEDEX, "FedEx ASTRA barcode", tracking)
    return Reading(
        Carrier.FEDEX,
        "FedEx ASTRA barcode",
        None,
        "FedEx label: the tracking number in the barcode fails its check digit",
    )


def _fedex_96(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx Ground ``96`` 22-digit: the last 15 are the Ground tracking number."""
    if len(compact) != 22 or not _digits(compact) or not compact.startswith("96"):
        return None

    # The check digit covers only the shipper and package digits, which with
    # it form the 15-digit Ground tracking number.
    tracking = compact[-15:]
    if _gs1_check_ok(tracking):
        return Reading(Carrier.FEDEX, "FedEx Ground 96 barcode", tracking)
    return Reading(
        Carrier.FEDEX,
        "FedEx Ground 96 barcode",
        None,
        "FedEx Ground label: the check digit fails",
    )


def _smartpost(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx SmartPost: a USPS IMpb package ID printed without its ``92``.

    With the ``92`` the 20 digits must form an IMpb construct: 3 service type
    digits, a 9-digit mailer ID (which starts with 9), a 7-digit serial and
    the check digit. USPS delivers these, so the number is USPS's, 92 and all;
    a pre-advice of either form then matches the label's IMpb barcode.
    """
    if (
        len(compact) == 20
        and _digits(compact)
        and compact[3] == "9"
        and _gs1_check_ok("92" + compact)
    ):
        return Reading(
            Carrier.USPS, "USPS IMpb without its 92 (FedEx SmartPost)", "92" + compact
        )
    return None


def _ups(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """UPS ``1Z``: 6 shipper, 2 service, 7 package characters and a check digit."""
    if not compact.startswith("1Z"):
        return None

    if _UPS.fullmatch(compact):
        if cd.passes(cd.ups_1z(compact[2:17]), compact[17]):
            return Reading(Carrier.UPS, "UPS 1Z", compact)
        return Reading(Carrier.UPS, "UPS 1Z", None, "UPS label: the check digit fails")
    if compact.isascii() and compact.isalnum() and 10 <= len(compact) <= 24:
        return Reading(
            Carrier.UPS,
            "UPS 1Z",
            None,
            f"UPS label: {len(compact)} characters where 1Z numbers have 18",
        )
    return None


def _amazon(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """Amazon Logistics: ``TBA``, ``TBC`` or ``TBM`` + 12 digits, no check digit."""
    if _AMAZON.fullmatch(compact):
        return Reading(Carrier.AMAZON, "Amazon Logistics", compact)
    if _AMAZON_SHORT.fullmatch(compact):
        return Reading(
            Carrier.AMAZON,
            "Amazon Logistics",
            None,
            f"Amazon label: {len(compact) - 3} digits where there should be 12",
        )
    return None


def _s10(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """UPU S10 (Royal Mail and most postal operators): ``RB123456785GB``."""
    match = _S10.fullmatch(compact)
    # The last two letters name the issuing post's country, by ISO 3166.
    if match is None or match.group(4) not in ISO_3166_ALPHA_2:
        return None

    country = match.group(4)
    carrier = Carrier.ROYAL_MAIL if country == "GB" else Carrier.UPU_POST
    label_format = f"UPU S10 ({country})"
    if cd.passes(cd.upu_s10(match.group(2)), match.group(3)):
        return Reading(carrier, label_format, compact)
    return Reading(
        carrier, label_format, None, "postal item number: the check digit fails"
    )


def _sscc(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """GS1 SSCC: AI 00 + 18 digits, or the 18 digits alone."""
    ai_00 = [field.value for field in gs1 if field.ai == "00"]
    if ai_00:
        candidate, certain = ai_00[0], True
    elif len(compact) == 20 and compact.startswith("00") and _digits(compact):
        candidate, certain = compact[2:], True
    elif len(compact) == 18 and _digits(compact):
        candidate, certain = compact, False
    else:
        return None

    if len(candidate) == 18 and _digits(candidate) and _gs1_check_ok(candidate):
        return Reading(Carrier.SSCC, "GS1 SSCC", candidate)
    if certain:
        return Reading(Carrier.SSCC, "GS1 SSCC", None, "SSCC: the check digit fails")
    return None


def _fedex_ground_15(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx Ground 15-digit: 14 digits and a GS1 mod 10 check digit."""
    if len(compact) == 15 and _digits(compact) and _gs1_check_ok(compact):
        return Reading(Carrier.FEDEX, "FedEx Ground 15-digit", compact)
    return None


def _fedex_12(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """FedEx Express 12-digit: 11 digits and a 3-1-7 mod 11 check digit."""
    if (
        len(compact) == 12
        and _digits(compact)
        and cd.passes(cd.fedex_12(compact[:11]), compact[11])
    ):
        return Reading(Carrier.FEDEX, "FedEx Express 12-digit", compact)
    return None


def _dhl_express(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """DHL Express waybill: 10 or 11 digits, the last a mod 7 check digit."""
    if (
        len(compact) in (10, 11)
        and _digits(compact)
        and cd.passes(cd.mod7(compact[:-1]), compact[-1])
    ):
        return Reading(Carrier.DHL, "DHL Express waybill", compact)
    return None


def _dhl_ids(compact: str, gs1: tuple[Gs1Field, ...]) -> Reading | None:
    """DHL piece IDs and DHL eCommerce numbers, which have no check digit."""
    plate = _DHL_PLATE.fullmatch(compact)
    if plate is not None and (compact.startswith("JJD") or len(compact) == 20):
        return Reading(Carrier.DHL, "DHL licence plate", plate.group(1))
    if _DHL_PIECE.fullmatch(compact):
        return Reading(Carrier.DHL, "DHL piece ID", compact)
    if _DHL_ECOMMERCE.fullmatch(compact):
        return Reading(Carrier.DHL, "DHL eCommerce", compact)
    return None


# Not read, for want of a published layout: UPS Mail Innovations, Amazon
# International and the contents of Royal Mail's Mailmark 2D codes. Such scans
# fall through to "unknown format" or are refused; the label's other barcode
# reads. ISO 15434 messages (MaxiCode, PDF417) are opened in `iso15434`.

# Order matters where shapes overlap: a rule earlier in the list wins when
# several readings are valid, unless the site's accepted carriers decide.
RULES: tuple[Rule, ...] = (
    _usps,
    _fedex_34,
    _fedex_astra,
    _fedex_96,
    _smartpost,
    _ups,
    _amazon,
    _s10,
    _sscc,
    _fedex_ground_15,
    _fedex_12,
    _dhl_express,
    _dhl_ids,
)


def read_label(compact: str, gs1: tuple[Gs1Field, ...] = ()) -> list[Reading]:
    """Every carrier rule's reading of the data, in rule order.

    Args:
        compact: The data without spaces, upper case, GS kept.
        gs1: The GS1 fields, when the data parsed as a GS1 message.

    Returns:
        The readings of the rules that recognised the shape.
    """
    readings = []
    for rule in RULES:
        reading = rule(compact, gs1)
        if reading is not None:
            readings.append(reading)
    return readings
