"""Check-digit rules of the carriers, each computing the expected digit.

The rules follow the carriers' published label specifications as collected in
``protocols.md`` section 5; each one is checked against known valid numbers in
the tests.
"""

from __future__ import annotations

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_FEDEX_WEIGHTS_FROM_RIGHT = (1, 3, 7)
_DIGITS = "0123456789"


def gs1_mod10(digits: str) -> int:
    """GS1 mod 10: weights 3 and 1 alternating from the rightmost digit.

    Used by SSCC, GTIN, USPS IMpb and FedEx Ground.

    Args:
        digits: The data digits, without the check digit.

    Returns:
        The check digit.
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def ups_1z(body: str) -> int:
    """UPS 1Z: mod 10 over the 15 characters after ``1Z``.

    Letters count as ``(ASCII - 3) mod 10``; characters at odd positions
    (counted from 0) are doubled.

    Args:
        body: The 15 characters between ``1Z`` and the check digit.

    Returns:
        The check digit.
    """
    total = 0
    for position, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 3) % 10
        total += value * (2 if position % 2 else 1)
    return (10 - total % 10) % 10


def fedex_12(digits: str) -> int:
    """FedEx Express 12-digit: weights 3, 1, 7 repeating, sum mod 11 mod 10.

    Args:
        digits: The first 11 digits.

    Returns:
        The check digit.
    """
    return _fedex_mod11(digits)


def fedex_34(serial: str) -> int:
    """FedEx 34-digit barcode: the FedEx weights over the 13-digit serial.

    The weights are 1, 7, 3 repeating from the left (jkeen/tracking_number_data
    ``fedex_34`` and ``fedex_ground_gsn``); over the last 11 digits they are
    the 12-digit number's own, so a serial starting ``00`` checks the same way
    as the 12-digit tracking number it ends with.

    Args:
        serial: The 13 digits before the check digit (0-based positions 20-32).

    Returns:
        The check digit.
    """
    return _fedex_mod11(serial)


def _fedex_mod11(digits: str) -> int:
    """Weights 1, 3, 7 repeating from the rightmost digit, sum mod 11 mod 10."""
    total = sum(
        int(char) * _FEDEX_WEIGHTS_FROM_RIGHT[position % 3]
        for position, char in enumerate(reversed(digits))
    )
    return total % 11 % 10


def mod7(digits: str) -> int:
    """DHL Express: the number without its check digit, modulo 7.

    Args:
        digits: The digits before the check digit.

    Returns:
        The check digit.
    """
    return int(digits) % 7


def upu_s10(digits: str) -> int:
    """UPU S10: weights 8,6,4,2,3,5,9,7 over the 8 serial digits, mod 11.

    Args:
        digits: The 8 serial digits.

    Returns:
        The check digit (0 when the remainder is 1, 5 when it is 0).
    """
    remainder = sum(int(c) * w for c, w in zip(digits, _S10_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return 0
    if remainder == 0:
        return 5
    return 11 - remainder


def passes(rule_digit: int, check_char: str) -> bool:
    """Whether the check character equals the digit a rule computed."""
    return (
        len(check_char) == 1 and check_char in _DIGITS and int(check_char) == rule_digit
    )
