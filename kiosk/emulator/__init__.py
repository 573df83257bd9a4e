"""A local emulator of the ByBox Konnect Partner API and the terminal API.

Only the `kiosk emulator` command and tests import this package; the terminal
in production never does, and this package imports nothing from the terminal.
"""

from kiosk.emulator.app import create_app
from kiosk.emulator.server import build_server, serve
from kiosk.emulator.settings import EmulatorSettings

__all__ = ["EmulatorSettings", "build_server", "create_app", "serve"]
