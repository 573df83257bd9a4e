"""Structured carrier messages: ISO/IEC 15434 data in 2D codes.

UPS MaxiCode symbols and the PDF417 codes on many carrier labels hold a message
that starts ``[)>`` RS and a two-digit format, then fields separated by GS and
ended by RS EOT. Format 01 carries the ANSI MH10.8.3 transportation data: a
version and postal code, country, service class, tracking number, the
carrier's SCAC, and more. Cleaning has already dropped RS and EOT.

The fields are not trusted by position: every field is offered to the carrier
rules, and only a rule that checks the field's own check digit can turn it into
a tracking number. UPS MaxiCode often carries only part of the 1Z number; such
a message reads as having no tracking number, and the person is asked to scan
the label's 1Z barcode instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.scan.cleaning import GS
from kiosk.scan.result import Carrier

HEADER = "[)>"

# Standard Carrier Alpha Codes seen in format 01 messages.
_SCAC = {
    "UPSN": Carrier.UPS,
    "FDEG": Carrier.FEDEX,
    "FDE": Carrier.FEDEX,
    "FDXG": Carrier.FEDEX,
    "FDXE": Carrier.FEDEX,
}


@dataclass(frozen=True)
class Envelope:
    """An ISO/IEC 15434 message, opened."""

    format: str
    """The two-digit format, e.g. ``01`` for transportation data."""

    fields: tuple[str, ...]
    """The data fields after the format, in order."""

    scac: str | None
    """The carrier's SCAC, for a format 01 message that names one."""

    @property
    def carrier(self) -> Carrier | None:
        """The carrier the SCAC names, if this terminal knows it."""
        return _SCAC.get(self.scac or "")


def open_envelope(text: str) -> Envelope | None:
    """The message in cleaned scan data, or None if it is not one."""
    if not text.startswith(HEADER):
        return None
    head, _, rest = text[len(HEADER) :].partition(GS)
    fields = tuple(rest.split(GS))
    scac = None
    if head == "01" and len(fields) > 4 and fields[4].isalpha():
        scac = fields[4].upper()
    return Envelope(format=head, fields=fields, scac=scac)
