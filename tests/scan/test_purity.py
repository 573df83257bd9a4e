"""`kiosk.scan` stays pure: importing it loads no UI, network or drawing code."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("textual", "httpx", "PIL", "barcode", "serial", "usb", "sqlite3")


def test_importing_kiosk_scan_loads_no_io_modules() -> None:
    code = (
        "import sys, kiosk.scan\n"
        "kiosk.scan.interpret(b']C142012345\\x1d9400111206206406260787\\r')\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert completed.stdout.strip() == ""
