"""ISO/IEC 15434 messages from MaxiCode and PDF417 labels."""

from __future__ import annotations

import pytest

from kiosk.scan import Carrier, ScanStatus, interpret
from kiosk.scan.iso15434 import open_envelope

RS, GS, EOT = "\x1e", "\x1d", "\x04"


def _message(*fields: str, fmt: str = "01") -> str:
    return f"[)>{RS}{fmt}{GS}" + GS.join(fields) + f"{RS}{EOT}"


UPS_FULL = _message(
    "96841706672", "840", "001", "1Z5R89390357567127", "UPSN", "5R8939", "159",
    "", "1/1", "10.1", "Y", "", "", "UT",
)  # fmt: skip
UPS_SHORT = _message("96841706672", "840", "001", "1Z00004951", "UPSN", "06X610", "159")
FEDEX = _message("02123450000", "840", "020", "986578788855", "FDEG", "1234567")


@pytest.mark.parametrize("prefix", [b"", b"]U1", b"]L0", b"\x02"])
@pytest.mark.parametrize("suffix", [b"", b"\r", b"\r\n"])
def test_a_whole_tracking_number_in_the_message_is_read(
    prefix: bytes, suffix: bytes
) -> None:
    result = interpret(prefix + UPS_FULL.encode() + suffix)

    assert result.status is ScanStatus.RECOGNISED
    assert result.carrier is Carrier.UPS
    assert result.tracking_number == "1Z5R89390357567127"
    assert result.label_format is not None and "ISO 15434" in result.label_format


def test_a_fedex_pdf417_message_gives_the_fedex_number() -> None:
    result = interpret(b"]L0" + FEDEX.encode() + b"\r")

    assert result.tracking_number == "986578788855"
    assert result.carrier is Carrier.FEDEX
    assert result.symbology == "PDF417"


def test_a_maxicode_with_part_of_the_1z_number_asks_for_the_other_barcode() -> None:
    result = interpret(b"]U1" + UPS_SHORT.encode())

    assert result.status is ScanStatus.REFUSED
    assert result.tracking_number is None
    assert not result.near_miss  # scanning the same code again cannot help
    assert result.carrier is Carrier.UPS
    assert result.reason is not None and "tracking barcode" in result.reason


def test_a_failing_check_digit_in_a_2d_code_is_refused_not_a_near_miss() -> None:
    wrong = UPS_FULL.replace("1Z5R89390357567127", "1Z5R89390357567128")

    result = interpret(wrong.encode())

    assert result.status is ScanStatus.REFUSED and not result.near_miss
    assert result.reason is not None and "check digit" in result.reason


def test_the_scac_decides_whose_rules_apply() -> None:
    # A valid FedEx number in a UPS message is not taken for the tracking number.
    mixed = _message("96841706672", "840", "001", "986578788855", "UPSN")

    result = interpret(mixed.encode())

    assert result.status is ScanStatus.REFUSED
    assert result.tracking_number is None


def test_a_carrier_the_site_does_not_accept_is_refused() -> None:
    result = interpret(UPS_FULL.encode(), accepted_carriers={"fedex"})

    assert result.status is ScanStatus.REFUSED
    assert result.tracking_number is None


def test_other_formats_are_refused_with_their_format() -> None:
    result = interpret(_message("1JUN0123456789", fmt="06").encode())

    assert result.status is ScanStatus.REFUSED
    assert result.label_format == "ISO 15434 format 06"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[)>01" + GS + "96X" + GS + "840" + GS + "1" + GS + "T" + GS + "upsn",
         ("01", "UPSN")),
        ("[)>01", ("01", None)),
        ("[)>", ("", None)),
        ("[)>06" + GS + "a", ("06", None)),
    ],
)  # fmt: skip
def test_envelopes_open_whatever_their_length(
    text: str, expected: tuple[str, str | None]
) -> None:
    envelope = open_envelope(text)

    assert envelope is not None
    assert (envelope.format, envelope.scac) == expected


def test_data_without_the_header_is_no_envelope() -> None:
    assert open_envelope("1Z5R89390357567127") is None
