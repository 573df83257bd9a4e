"""Check-digit rules against published valid numbers, and one-digit changes."""

from __future__ import annotations

import pytest

from kiosk.scan import checkdigits as cd


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("5R8939035756712", 7),  # 1Z5R89390357567127, protocols.md section 5
        ("879E93034683444", 0),
        ("410E7W039275159", 1),
        ("8V92A7036720302", 4),
    ],
)
def test_ups_1z(body: str, check: int) -> None:
    assert cd.ups_1z(body) == check


@pytest.mark.parametrize(
    "number",
    [
        "9400111206206406260787",  # USPS IMpb, protocols.md section 5
        "000123450000000027",  # SSCC, protocols.md section 5
        "9361289878700317633795",
        "041441760228964",  # FedEx Ground 15
        "5012345678900",  # EAN-13
    ],
)
def test_gs1_mod10(number: str) -> None:
    assert cd.gs1_mod10(number[:-1]) == int(number[-1])


@pytest.mark.parametrize(
    "number", ["779017972697", "986578788855", "477179081230", "974367662710"]
)
def test_fedex_12(number: str) -> None:
    assert cd.fedex_12(number[:11]) == int(number[11])


@pytest.mark.parametrize("number", ["3318810025", "73891051146", "8487135506"])
def test_dhl_mod7(number: str) -> None:
    assert cd.mod7(number[:-1]) == int(number[-1])


@pytest.mark.parametrize(
    ("serial", "check"),
    [
        ("12345678", 5),  # RB123456785GB
        ("98765432", 6),
        ("00042137", 4),
    ],
)
def test_upu_s10(serial: str, check: int) -> None:
    assert cd.upu_s10(serial) == check


def test_upu_s10_special_remainders() -> None:
    # Remainder 0 gives 5 and remainder 1 gives 0, not 11 and 10.
    by_remainder: dict[int, str] = {}
    for n in range(2000):
        serial = f"{n:08d}"
        total = sum(
            int(c) * w for c, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)
        )
        by_remainder.setdefault(total % 11, serial)

    assert cd.upu_s10(by_remainder[0]) == 5
    assert cd.upu_s10(by_remainder[1]) == 0
    assert cd.upu_s10(by_remainder[2]) == 9


def test_passes_refuses_a_letter() -> None:
    assert cd.passes(7, "7")
    assert not cd.passes(7, "X")


def test_fedex_34_weights_1_7_3_from_the_left_over_13_digits() -> None:
    serial = "1277901797269"
    weights = [1, 7, 3] * 4 + [1]

    expected = sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11
    assert cd.fedex_34(serial) == expected % 10 == 0


def test_fedex_34_over_a_serial_starting_00_is_the_12_digit_check() -> None:
    assert cd.fedex_34("0077901797269") == cd.fedex_12("77901797269") == 7
