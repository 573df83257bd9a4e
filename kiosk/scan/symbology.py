"""AIM symbology identifiers (ISO/IEC 15424) that scanners put before the data.

An identifier is ``]``, a code character and a modifier. The modifier is one
character, except for code ``Y`` whose first digit says how many more follow.
"""

from __future__ import annotations

from dataclasses import dataclass

_CODE_NAMES = {
    "A": "Code 39",
    "B": "Telepen",
    "C": "Code 128",
    "D": "Code One",
    "E": "EAN/UPC",
    "F": "Codabar",
    "G": "Code 93",
    "H": "Code 11",
    "I": "ITF",
    "J": "DotCode",
    "K": "Code 16K",
    "L": "PDF417",
    "M": "MSI",
    "N": "Anker",
    "O": "Codablock",
    "P": "Plessey",
    "Q": "QR Code",
    "R": "Straight 2 of 5 (2-bar start/stop)",
    "S": "Straight 2 of 5 (3-bar start/stop)",
    "T": "Code 49",
    "U": "MaxiCode",
    "X": "other",
    "Y": "system expansion",
    "Z": "non-barcode",
    "c": "Channel Code",
    "d": "Data Matrix",
    "e": "GS1 DataBar",
    "o": "OCR",
    "p": "PosiCode",
    "s": "SuperCode",
    "z": "Aztec",
}

# Identifiers whose data is a GS1 element string with FNC1 in first position.
_GS1_NAMES = {
    "C1": "GS1-128",
    "d2": "GS1 DataMatrix",
    "Q3": "GS1 QR Code",
    "e0": "GS1 DataBar",
    "e1": "GS1 Composite",
    "e2": "GS1 Composite",
    "J1": "GS1 DotCode",
}

# EAN/UPC and ITF-14 carry a GTIN: a product, never a parcel.
_PRODUCT_IDS = frozenset({"E0", "E1", "E2", "E3", "E4", "I1"})


@dataclass(frozen=True)
class Symbology:
    """What the AIM identifier says about the barcode that was read."""

    aim_id: str
    """The identifier as sent, e.g. ``]C1``."""

    name: str
    """A readable name, e.g. ``GS1-128``."""

    gs1: bool
    """True when the data is a GS1 element string (FNC1 in first position)."""

    product: bool
    """True for EAN/UPC and ITF-14 identifiers, which carry a GTIN."""


def split_aim(text: str) -> tuple[Symbology | None, str]:
    """Take an AIM symbology identifier off the front of the text.

    Args:
        text: The scan with the scanner's framing already removed.

    Returns:
        The symbology, or None when the text has no known identifier, and the
        text after it.
    """
    if len(text) < 3 or text[0] != "]" or text[1] not in _CODE_NAMES:
        return None, text

    code = text[1]
    if code == "Y":
        if text[2] not in "0123456789":
            return None, text
        end = 3 + int(text[2])
    else:
        end = 3
    if len(text) < end:
        return None, text

    key = text[1:end]
    if key in _GS1_NAMES:
        name, gs1 = _GS1_NAMES[key], True
    else:
        name, gs1 = _CODE_NAMES[code], False
    symbology = Symbology(
        aim_id=text[:end], name=name, gs1=gs1, product=key in _PRODUCT_IDS
    )
    return symbology, text[end:]
