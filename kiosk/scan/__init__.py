"""What a scan means: from a scanner's bytes to a package's tracking number.

A pure package: no I/O, no user interface, no network. `interpret` strips
what the scanner adds, parses GS1 element strings and applies the carriers'
rules; `matches` compares a scan with an expected tracking number.
"""

from kiosk.scan.escapes import EscapeError, escape, unescape
from kiosk.scan.interpret import interpret
from kiosk.scan.matching import matches, reduce_reference
from kiosk.scan.result import Carrier, Gs1Field, Match, ScanResult, ScanStatus

__all__ = [
    "Carrier",
    "EscapeError",
    "Gs1Field",
    "Match",
    "ScanResult",
    "ScanStatus",
    "escape",
    "interpret",
    "matches",
    "reduce_reference",
    "unescape",
]
