"""Whether a scan is the package the terminal expects."""

from __future__ import annotations

from kiosk.scan.interpret import compact, interpret
from kiosk.scan.result import Match, ScanResult, ScanStatus

# A read shorter than this proves nothing about which package it came from.
_MIN_TRUNCATED = 6


def reduce_reference(text: str) -> str:
    """The value a typed or pre-advised tracking number stands for.

    A pre-advice may hold the whole barcode (a USPS number with its ZIP
    routing, a FedEx 34-digit code) or just the tracking number; both reduce
    to the tracking number by the same carrier rules as a scan.

    Args:
        text: A tracking number as Konnect or a person wrote it.

    Returns:
        The tracking number, or the compacted text when no rule applies.
    """
    return _reduced(interpret(text.encode("utf-8")), text)


def _reduced(result: ScanResult, text: str) -> str:
    """The tracking number of an interpreted reference, else its text."""
    if result.tracking_number is not None:
        return result.tracking_number
    return compact(text)


def matches(scan: ScanResult | str, expected: str) -> Match:
    """Compare a scan with the tracking number the terminal expects.

    Args:
        scan: A scan result, or scan data as text (interpreted first).
        expected: The tracking number, e.g. from the goods-in pre-advice.

    Returns:
        `Match.YES` when both reduce to the same value, or the scan (not a
        refused one) reads exactly the expected text; `Match.NEAR_MISS` when
        the scan failed a check digit, looks like a truncated read of the
        expected number, or is one character off a carrier's number that is
        expected; otherwise `Match.NO`.
    """
    result = scan if isinstance(scan, ScanResult) else interpret(scan.encode("utf-8"))
    expected_result = interpret(expected.encode("utf-8"))
    wanted = _reduced(expected_result, expected)
    if not wanted:
        return Match.NO

    if result.tracking_number is not None and result.tracking_number == wanted:
        return Match.YES
    # The label reads exactly what was pre-advised, even if a carrier rule
    # dislikes it (a test number, a carrier's own slip): it is that package.
    readable = result.status not in {ScanStatus.REFUSED, ScanStatus.UNREADABLE}
    if readable and compact(result.text) == compact(expected):
        return Match.YES
    if result.near_miss:
        return Match.NEAR_MISS

    read = result.tracking_number or compact(result.text)
    # A bare number in no carrier's format, one character off the carrier's
    # number expected: a misread digit (often the check digit itself) failed
    # the carrier's check. Two valid numbers of one carrier differ by more.
    if (
        result.status is ScanStatus.UNKNOWN_FORMAT
        and expected_result.status is ScanStatus.RECOGNISED
        and _one_apart(read, wanted)
    ):
        return Match.NEAR_MISS

    # A read cut short at either end: part of the expected carrier number, not
    # all. A free-text reference may well be the start of another one.
    if expected_result.status is not ScanStatus.RECOGNISED:
        return Match.NO
    for whole in {wanted, compact(expected)}:
        if _MIN_TRUNCATED <= len(read) < len(whole) and (
            whole.startswith(read) or whole.endswith(read)
        ):
            return Match.NEAR_MISS
    return Match.NO


def _one_apart(first: str, second: str) -> bool:
    """Whether two texts of one length differ in exactly one place."""
    if len(first) != len(second):
        return False
    return sum(a != b for a, b in zip(first, second, strict=True)) == 1
