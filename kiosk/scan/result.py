"""What the terminal makes of one scan: the result types of `kiosk.scan`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Carrier(StrEnum):
    """Who issued the number a label carries."""

    USPS = "usps"
    FEDEX = "fedex"
    UPS = "ups"
    DHL = "dhl"
    ROYAL_MAIL = "royal_mail"
    UPU_POST = "upu_post"
    """A postal operator other than Royal Mail, by its UPU S10 number."""
    AMAZON = "amazon"
    SSCC = "sscc"
    """A GS1 Serial Shipping Container Code: any shipper, no carrier named."""


class ScanStatus(StrEnum):
    """How far the terminal got with a scan."""

    RECOGNISED = "recognised"
    """A carrier rule matched; `tracking_number` is set."""
    UNKNOWN_FORMAT = "unknown_format"
    """No carrier rule matched, but the text is a plausible reference, so
    `tracking_number` is the text itself (Konnect's own references are free)."""
    NEAR_MISS = "near_miss"
    """It looks like a carrier label but a check digit fails or the read is
    truncated: ask for a rescan rather than guess."""
    REFUSED = "refused"
    """Readable, but not a package reference (a product barcode, a carrier this
    site does not accept, GS1 data without a tracking number)."""
    UNREADABLE = "unreadable"
    """Nothing usable: empty, binary, or control characters only."""


class Match(StrEnum):
    """Whether a scan is the package the terminal expects."""

    YES = "yes"
    NO = "no"
    NEAR_MISS = "near_miss"
    """Close enough to suspect a bad read: ask for a rescan."""


@dataclass(frozen=True)
class Gs1Field:
    """One GS1 element string: application identifier and its value."""

    ai: str
    """The application identifier, e.g. ``00`` or ``420``."""

    title: str
    """GS1's short data title, e.g. ``SSCC`` or ``SHIP TO POST``."""

    value: str
    """The value, without the AI."""


@dataclass(frozen=True)
class ScanResult:
    """Everything the terminal knows about one scan.

    `tracking_number` is None exactly when `reason` says why.
    """

    raw: bytes
    """The bytes as the scanner sent them, for the journal."""

    text: str
    """The data once the scanner's additions are removed; GS (FNC1) kept."""

    status: ScanStatus
    """How far interpretation got."""

    symbology: str | None = None
    """The barcode type from the AIM identifier, e.g. ``GS1-128``."""

    aim_id: str | None = None
    """The AIM identifier as sent, e.g. ``]C1``."""

    gs1: tuple[Gs1Field, ...] = ()
    """The GS1 element strings, when the data is a GS1 message."""

    carrier: Carrier | None = None
    """The carrier recognised, also set on a near miss."""

    label_format: str | None = None
    """Which of the carrier's formats, e.g. ``FedEx Express 34-digit``."""

    tracking_number: str | None = None
    """The number Konnect knows the package by, or None when refused."""

    reason: str | None = None
    """Why there is no tracking number; None when there is one."""

    near_miss: bool = False
    """A check digit failed or the read looks truncated: ask for a rescan."""
