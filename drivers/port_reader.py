"""A background task that reads a serial port for as long as it is wanted.

Scanners and keypads talk without being asked, so their driver reads all the
time. When the device vanishes the reader reports it in `health`, closes the
port and tries to open it again with back-off (doubling up to a ceiling)
forever, so the device is back as soon as it is plugged in again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from drivers.base import DeviceError, Health
from drivers.serialport import SerialPort

_log = logging.getLogger(__name__)

ChunkHandler = Callable[[bytes], None]
"""Gets each chunk read; ``b""`` means the line stayed idle for the wait asked."""


class PortReader:
    """Reads one port in a task, reopening it after a loss.

    Args:
        port: The port to read.
        what: Words for health messages, e.g. "scanner".
        reconnect_delay: First wait before reopening a lost port.
        reconnect_max: Longest wait between attempts.
    """

    def __init__(
        self,
        port: SerialPort,
        *,
        what: str,
        reconnect_delay: float = 0.5,
        reconnect_max: float = 10.0,
    ) -> None:
        self.port = port
        self.what = what
        self.reconnect_delay = reconnect_delay
        self.reconnect_max = reconnect_max
        self._task: asyncio.Task[None] | None = None
        self.health = Health(False, f"{what} on {port.port} not started", port.port)

    def _ready(self) -> None:
        self.health = Health(
            True, f"{self.what} on {self.port.port} ready", self.port.port
        )

    def _failed(self, exc: DeviceError) -> None:
        self.health = Health(False, str(exc), self.port.port)

    async def start(
        self, handle: ChunkHandler, wait: Callable[[], float | None]
    ) -> None:
        """Open the port and start reading.

        Args:
            handle: Gets every chunk, or ``b""`` after an idle wait.
            wait: Asked before each read how long to wait for bytes before
                reporting idle; None waits for ever.

        Raises:
            DeviceError: The port cannot be opened now; nothing is started.
        """
        if self._task is not None:
            return
        try:
            await self.port.open()
        except DeviceError as exc:
            self._failed(exc)
            raise
        self._ready()
        self._task = asyncio.create_task(
            self._run(handle, wait), name=f"{self.what} {self.port.port}"
        )

    async def stop(self) -> None:
        """Stop reading and close the port; safe to call twice."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.port.close()

    async def _run(
        self, handle: ChunkHandler, wait: Callable[[], float | None]
    ) -> None:
        delay = self.reconnect_delay
        while True:
            try:
                while True:
                    _deliver(handle, await self.port.read_some(wait()))
            except DeviceError as exc:
                self._failed(exc)
            await self.port.close()
            while True:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.reconnect_max)
                try:
                    await self.port.open()
                except DeviceError as exc:
                    self._failed(exc)
                    continue
                break
            delay = self.reconnect_delay
            self._ready()


def _deliver(handle: ChunkHandler, chunk: bytes) -> None:
    try:
        handle(chunk)
    except Exception:
        # The consumer's bug must not stop the device being read.
        _log.exception("reader callback failed")
