"""Carrier rules over real-world label contents, as scanners frame them."""

from __future__ import annotations

import pytest

from kiosk.scan import Carrier, ScanStatus, interpret
from kiosk.scan import checkdigits as cd
from tests.scan.labels import GS, NEAR_MISSES, NOT_RECOGNISED, VALID

# (id, prefix, suffix, configured suffix): what scanners put around the data.
FRAMINGS: list[tuple[str, bytes, bytes, bytes | None]] = [
    ("bare", b"", b"", None),
    ("cr", b"", b"\r", None),
    ("crlf", b"", b"\r\n", None),
    ("tab", b"", b"\t", None),
    ("configured-suffix", b"", b"#END", b"#END"),
    ("stx-etx-cr", b"\x02", b"\x03\r", None),
    ("junk-both-ends", b" \x00\x07 ", b" \x00\r\n", None),
    ("aim-code128", b"]C0", b"\r", None),
    ("aim-datamatrix", b"]d1", b"\r\n", None),
    ("stx-aim", b"\x02]C0", b"\x03\r", None),
]


def _framed(data: str, prefix: bytes, suffix: bytes) -> bytes:
    return prefix + data.encode("ascii") + suffix


@pytest.mark.parametrize(("framing", "prefix", "suffix", "configured"), FRAMINGS)
@pytest.mark.parametrize(("label", "data", "carrier", "tracking"), VALID)
def test_valid_labels_reduce_to_their_tracking_number(
    label: str,
    data: str,
    carrier: Carrier,
    tracking: str,
    framing: str,
    prefix: bytes,
    suffix: bytes,
    configured: bytes | None,
) -> None:
    raw = _framed(data, prefix, suffix)

    result = interpret(raw, suffix=configured)

    assert result.status is ScanStatus.RECOGNISED, result.reason
    assert result.carrier is carrier
    assert result.tracking_number == tracking
    assert result.reason is None
    assert not result.near_miss
    assert result.raw == raw


@pytest.mark.parametrize(("framing", "prefix", "suffix", "configured"), FRAMINGS)
@pytest.mark.parametrize(("label", "data", "carrier"), NEAR_MISSES)
def test_near_misses_ask_for_a_rescan(
    label: str,
    data: str,
    carrier: Carrier,
    framing: str,
    prefix: bytes,
    suffix: bytes,
    configured: bytes | None,
) -> None:
    result = interpret(_framed(data, prefix, suffix), suffix=configured)

    assert result.status is ScanStatus.NEAR_MISS
    assert result.near_miss
    assert result.carrier is carrier
    assert result.tracking_number is None
    assert result.reason is not None and "scan again" in result.reason


@pytest.mark.parametrize(("label", "data"), NOT_RECOGNISED)
def test_numbers_no_rule_may_claim(label: str, data: str) -> None:
    result = interpret(data.encode("ascii"))

    assert result.status is not ScanStatus.RECOGNISED
    assert result.carrier is None


@pytest.mark.parametrize(
    ("raw", "tracking"),
    [
        # GS1-128 with FNC1 as GS, as serial scanners send it.
        (b"]C142012345\x1d9400111206206406260787\r", "9400111206206406260787"),
        (b"]C1420123456789\x1d9400111206206406260787\r\n", "9400111206206406260787"),
        # The same from a HID scanner that sends GS as private-use U+F70B.
        (
            b"42012345\xef\x9c\x8b9400111206206406260787\r",
            "9400111206206406260787",
        ),
        # A scanner without AIM identifiers that sends the leading FNC1 as GS.
        (b"\x1d42012345\x1d9400111206206406260787\r", "9400111206206406260787"),
        # GS1-128 whose GS a keyboard wedge dropped.
        (b"]C1420123459400111206206406260787\r", "9400111206206406260787"),
        # GS1 DataMatrix and GS1 QR carry the same element string.
        (b"]d242012345\x1d9400111206206406260787", "9400111206206406260787"),
        (b"]Q342012345\x1d9400111206206406260787", "9400111206206406260787"),
    ],
)
def test_usps_routing_with_fnc1_in_every_form(raw: bytes, tracking: str) -> None:
    result = interpret(raw)

    assert result.carrier is Carrier.USPS
    assert result.tracking_number == tracking


def test_gs1_128_usps_label_reports_its_fields() -> None:
    result = interpret(b"]C142012345\x1d9400111206206406260787\r")

    assert result.symbology == "GS1-128"
    assert result.aim_id == "]C1"
    assert [(f.ai, f.value) for f in result.gs1] == [
        ("420", "12345"),
        ("94", "00111206206406260787"),
    ]
    assert result.text == f"42012345{GS}9400111206206406260787"


def test_gs1_128_sscc_is_read_from_ai_00() -> None:
    result = interpret(b"]C100000123450000000027\r")

    assert result.carrier is Carrier.SSCC
    assert result.tracking_number == "000123450000000027"
    assert [(f.ai, f.title) for f in result.gs1] == [("00", "SSCC")]


def test_gs1_128_sscc_with_a_failing_check_digit_is_a_near_miss() -> None:
    result = interpret(b"]C100000123450000000028\r")

    assert result.near_miss
    assert result.carrier is Carrier.SSCC
    assert result.gs1[0].value == "000123450000000028"


def test_gs1_sscc_followed_by_more_element_strings() -> None:
    result = interpret(b"]C100350123450000000016\x1d420SW1A1AA\r")

    assert result.tracking_number == "350123450000000016"
    assert [f.ai for f in result.gs1] == ["00", "420"]


def test_spaces_and_lower_case_are_normalised() -> None:
    result = interpret(b"1z 5r8 939 03 5756 712 7\r")

    assert result.tracking_number == "1Z5R89390357567127"


def test_a_product_barcode_is_refused() -> None:
    result = interpret(b"]E05012345678900\r")

    assert result.status is ScanStatus.REFUSED
    assert result.tracking_number is None
    assert result.symbology == "EAN/UPC"
    assert result.reason is not None and "product" in result.reason


def test_gs1_data_without_a_tracking_number_is_refused() -> None:
    result = interpret(b"]C10105012345678900\x1d10LOT42\r")

    assert result.status is ScanStatus.REFUSED
    assert [(f.ai, f.value) for f in result.gs1] == [
        ("01", "05012345678900"),
        ("10", "LOT42"),
    ]
    assert result.reason is not None and "01, 10" in result.reason


def test_gs1_symbology_with_data_that_is_not_gs1_is_refused() -> None:
    result = interpret(b"]C1HELLO\r")

    assert result.status is ScanStatus.REFUSED
    assert result.reason is not None and "not GS1" in result.reason


def test_an_unknown_format_is_used_as_scanned() -> None:
    result = interpret(b"]C0kon-2024/0042\r")

    assert result.status is ScanStatus.UNKNOWN_FORMAT
    assert result.carrier is None
    assert result.tracking_number == "KON-2024/0042"
    assert result.reason is None


def test_accepted_carriers_decide_and_refuse() -> None:
    # A 12-digit number that passes FedEx's check: refused where only DHL is
    # accepted, and the reason names the carrier.
    refused = interpret(b"986578788855\r", accepted_carriers=["dhl"])
    accepted = interpret(b"986578788855\r", accepted_carriers=[Carrier.FEDEX])

    assert refused.status is ScanStatus.REFUSED
    assert refused.tracking_number is None
    assert refused.reason is not None and "fedex is not accepted" in refused.reason
    assert accepted.tracking_number == "986578788855"


def test_accepted_carriers_pick_between_overlapping_rules() -> None:
    # 34 digits that are both 420 + ZIP+4 + a USPS IMpb and, by the check
    # digit over their 13 digits before it, a FedEx 34-digit code: USPS comes
    # first unless the site takes only FedEx.
    packages = (f"9400111206{n:011d}" for n in range(1000))
    data = next(
        full
        for full in ("420100233424" + p + str(cd.gs1_mod10(p)) for p in packages)
        if cd.passes(cd.fedex_34(full[20:33]), full[33])
    )

    usps = interpret(data.encode())
    fedex = interpret(data.encode(), accepted_carriers=["fedex"])

    assert (usps.carrier, usps.tracking_number) == (Carrier.USPS, data[12:])
    assert (fedex.carrier, fedex.tracking_number) == (Carrier.FEDEX, data[-12:])


def test_unknown_carrier_names_accept_nothing() -> None:
    result = interpret(b"1Z5R89390357567127", accepted_carriers=["nosuch"])

    assert result.status is ScanStatus.REFUSED
