"""From the bytes of one scan to a `ScanResult`."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

from kiosk.scan.carriers import Reading, read_label
from kiosk.scan.cleaning import GS, Cleaned, clean
from kiosk.scan.gs1 import parse_gs1
from kiosk.scan.iso15434 import Envelope, open_envelope
from kiosk.scan.result import Carrier, Gs1Field, ScanResult, ScanStatus

# A reference Konnect could know a package by when no carrier rule matches:
# letters, digits and a few separators, of a sensible length.
_PLAUSIBLE_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9\-_./]{2,63}")


def compact(text: str) -> str:
    """Label data as the carrier rules see it: no spaces, upper case.

    Args:
        text: Cleaned scan data or a typed tracking number.

    Returns:
        The text without whitespace (GS kept), in upper case.
    """
    return "".join(c for c in text if c == GS or not c.isspace()).upper()


def interpret(
    raw: bytes,
    *,
    suffix: bytes | None = None,
    accepted_carriers: Collection[Carrier | str] | None = None,
) -> ScanResult:
    """Say what a scan means: carrier, symbology, GS1 fields, tracking number.

    This never raises: whatever it cannot read comes back as a result with
    status `ScanStatus.UNREADABLE` and a reason.

    Args:
        raw: The bytes the scanner sent for one scan.
        suffix: The suffix the scanner is configured to add, if any.
        accepted_carriers: The carriers this site accepts, as `Carrier` values
            or their names; None accepts all. Decides between readings when a
            bare number fits several carriers' rules. Unknown names match no
            carrier.

    Returns:
        The result, with the raw bytes kept for the journal.
    """
    try:
        return _interpret(bytes(raw), suffix, accepted_carriers)
    except Exception as error:
        # A bug here must not stop a delivery: report it as an unreadable scan.
        return ScanResult(
            raw=bytes(raw) if isinstance(raw, bytes | bytearray) else b"",
            text="",
            status=ScanStatus.UNREADABLE,
            reason=f"could not interpret the scan ({type(error).__name__})",
        )


def _interpret(
    raw: bytes,
    suffix: bytes | None,
    accepted_carriers: Collection[Carrier | str] | None,
) -> ScanResult:
    """`interpret` without the safety net."""
    cleaned = clean(raw, suffix)
    symbology = cleaned.symbology
    base = ScanResult(
        raw=raw,
        text=cleaned.text,
        status=ScanStatus.UNREADABLE,
        symbology=symbology.name if symbology else None,
        aim_id=symbology.aim_id if symbology else None,
    )
    if cleaned.problem is not None:
        return replace(base, reason=cleaned.problem)

    gs1, gs1_error = _gs1_of(cleaned)
    base = replace(base, gs1=gs1)
    if symbology is not None and symbology.product:
        return replace(
            base,
            status=ScanStatus.REFUSED,
            reason=f"a product barcode ({symbology.name}), not a parcel label",
        )

    accepted = _accepted(accepted_carriers)
    envelope = open_envelope(cleaned.text)
    if envelope is not None:
        return _structured(base, envelope, accepted)

    data = compact(cleaned.text)
    readings = read_label(data, gs1)
    valid = [r for r in readings if r.tracking_number is not None]
    chosen = [r for r in valid if accepted is None or r.carrier in accepted]
    if chosen:
        return _recognised(base, chosen[0])

    near = [r for r in readings if r.tracking_number is None]
    if near:
        return replace(
            base,
            status=ScanStatus.NEAR_MISS,
            carrier=near[0].carrier,
            label_format=near[0].label_format,
            reason=f"{near[0].problem}; please scan again",
            near_miss=True,
        )

    return _unrecognised(base, data, valid, gs1_error)


def _structured(
    base: ScanResult, envelope: Envelope, accepted: set[Carrier] | None
) -> ScanResult:
    """A result for an ISO/IEC 15434 message: a checked field, or a refusal."""
    readings = [
        reading
        for field in envelope.fields
        for reading in read_label(compact(field))
        if envelope.carrier is None or reading.carrier is envelope.carrier
    ]
    where = f"ISO 15434 format {envelope.format}"
    if envelope.scac:
        where += f" message from {envelope.scac}"
    for reading in readings:
        if reading.tracking_number is not None and (
            accepted is None or reading.carrier in accepted
        ):
            return _recognised(
                base, replace(reading, label_format=f"{reading.label_format}, {where}")
            )
    # A 2D code corrects its own read errors: a field that fails its check is
    # written that way, and scanning the same code again would not help.
    problem = next((r.problem for r in readings if r.problem), None)
    return replace(
        base,
        status=ScanStatus.REFUSED,
        carrier=envelope.carrier,
        label_format=where,
        reason=f"{where} without a whole tracking number"
        + (f" ({problem})" if problem else "")
        + "; scan the label's tracking barcode instead",
    )


def _gs1_of(cleaned: Cleaned) -> tuple[tuple[Gs1Field, ...], str | None]:
    """GS1 fields when the scan says it is GS1 data, else nothing."""
    symbology = cleaned.symbology
    says_gs1 = (symbology is not None and symbology.gs1) or cleaned.fnc1_first
    if not says_gs1 and GS not in cleaned.text:
        return (), None
    fields, error = parse_gs1(cleaned.text)
    return fields, error if says_gs1 else None


def _accepted(carriers: Collection[Carrier | str] | None) -> set[Carrier] | None:
    """The accepted carriers as enum members; unknown names are dropped."""
    if carriers is None:
        return None
    by_value = {carrier.value: carrier for carrier in Carrier}
    return {by_value[str(c)] for c in carriers if str(c) in by_value}


def _recognised(base: ScanResult, reading: Reading) -> ScanResult:
    """A result for a reading with a tracking number."""
    return replace(
        base,
        status=ScanStatus.RECOGNISED,
        carrier=reading.carrier,
        label_format=reading.label_format,
        tracking_number=reading.tracking_number,
    )


def _unrecognised(
    base: ScanResult, data: str, refused: list[Reading], gs1_error: str | None
) -> ScanResult:
    """A result when no accepted carrier rule gave a tracking number."""
    if refused:
        first = refused[0]
        return replace(
            base,
            status=ScanStatus.REFUSED,
            carrier=first.carrier,
            label_format=first.label_format,
            reason=f"{first.label_format} label, and {first.carrier.value} is "
            "not accepted at this site",
        )
    if base.gs1:
        ais = ", ".join(field.ai for field in base.gs1)
        return replace(
            base,
            status=ScanStatus.REFUSED,
            reason=f"GS1 data without a tracking number (AIs {ais})",
        )
    if gs1_error is not None:
        return replace(
            base,
            status=ScanStatus.REFUSED,
            reason=f"{base.symbology} barcode whose data is not GS1: {gs1_error}",
        )
    if _PLAUSIBLE_REFERENCE.fullmatch(data):
        return replace(base, status=ScanStatus.UNKNOWN_FORMAT, tracking_number=data)
    return replace(
        base,
        status=ScanStatus.REFUSED,
        reason="not a package reference: no carrier format, and not 3 to 64 "
        "letters, digits or - _ . /",
    )
