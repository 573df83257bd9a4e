"""Talking to a running simulator: one JSON object per line on a UNIX socket.

A request is `{"op": ..., ...}`; the answer is `{"ok": true, ...}` or
`{"ok": false, "error": "..."}`. The terminal's simulator panel and the
`kiosk sim` commands are both clients; neither imports the simulated devices.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

MAX_LINE = 1 << 20


class SimulatorUnavailable(Exception):
    """No simulator answers on the control socket."""


def encode(message: dict[str, Any]) -> bytes:
    """One message as a line."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


async def request(path: Path, message: dict[str, Any], timeout: float = 5.0) -> Any:
    """Send one request to the simulator and return its answer."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_unix_connection(
                str(path), limit=MAX_LINE
            )
            try:
                writer.write(encode(message))
                await writer.drain()
                line = await reader.readline()
            finally:
                writer.close()
                await writer.wait_closed()
    except (OSError, TimeoutError) as error:
        raise SimulatorUnavailable(f"no simulator at {path}: {error}") from None
    return _decode(line, path)


def request_sync(path: Path, message: dict[str, Any], timeout: float = 5.0) -> Any:
    """`request` for code that has no event loop, such as the command line."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(str(path))
            connection.sendall(encode(message))
            received = b""
            while not received.endswith(b"\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
    except OSError as error:
        raise SimulatorUnavailable(f"no simulator at {path}: {error}") from None
    return _decode(received, path)


def _decode(line: bytes, path: Path) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        raise SimulatorUnavailable(
            f"the simulator at {path} answered garbage"
        ) from None
