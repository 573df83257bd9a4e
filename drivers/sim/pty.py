"""A host that puts a simulated serial device on a pseudo-terminal.

The driver opens the pty's slave side exactly as it would open `/dev/ttyUSB0`;
the simulated device sits on the master side. Bytes the driver writes reach the
device model, and what the model sends back arrives at the driver through the
kernel, so the production driver code runs unchanged against the twin.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
import tty
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from drivers.base import DeviceError

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineFrame:
    """One frame the simulated device recognised on its line.

    Attributes:
        at: `time.monotonic()` when the read that completed it returned.
        data: The frame's bytes, exactly as they arrived.
    """

    at: float
    data: bytes


class SimulatedDevice(ABC):
    """The model of a device behind a `PtyHost`.

    The host calls `attach` once, then `on_bytes` with every chunk the driver
    wrote, in order and unframed. The model frames them itself, reports each
    frame it recognised with `PtyHost.record`, and answers with `PtyHost.send`.
    """

    line: PtyHost | None = None

    def attach(self, line: PtyHost) -> None:
        """Bind the model to the line it answers on."""
        self.line = line

    @abstractmethod
    def on_bytes(self, data: bytes) -> None:
        """Take bytes the driver sent."""


class PtyHost:
    """A pseudo-terminal in raw mode with a `SimulatedDevice` on its master side.

    Args:
        device: The model that answers.
        link: Optional path of a symlink to the slave, like a udev stable name;
            an existing symlink there is replaced, anything else is refused.
        echo: Send every received byte straight back first, as an RS-485
            adapter that hears its own transmission does.
    """

    def __init__(
        self,
        device: SimulatedDevice,
        *,
        link: str | Path | None = None,
        echo: bool = False,
    ) -> None:
        self.device = device
        self.link = Path(link) if link is not None else None
        self.echo = echo
        self.frames: list[LineFrame] = []
        self.received = bytearray()
        self.sent_bytes = 0
        self._master = -1
        self._slave = -1
        self._slave_name = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = bytearray()
        self._timers: set[asyncio.TimerHandle] = set()
        self._read_at = 0.0
        self._frame_arrived = asyncio.Event()
        device.attach(self)

    @property
    def port(self) -> str:
        """The path a driver opens: the symlink if one was asked for."""
        if self.link is not None:
            return str(self.link)
        return self._slave_name

    @property
    def slave_name(self) -> str:
        """The kernel's name for the slave side, e.g. ``/dev/pts/7``."""
        return self._slave_name

    @property
    def running(self) -> bool:
        """Whether the line is up."""
        return self._master >= 0

    async def start(self) -> None:
        """Create the pty and start answering."""
        if self.running:
            return
        master, slave = os.openpty()
        try:
            tty.setraw(slave)
            os.set_blocking(master, False)
            name = os.ttyname(slave)
            if self.link is not None:
                self._make_link(name)
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        # The slave stays open here so the master never reads EIO (and spins)
        # while no driver has the port open.
        self._master, self._slave, self._slave_name = master, slave, name
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(master, self._on_readable)
        # The same device may be moved to a new line (a replug under a new name).
        self.device.attach(self)

    def _make_link(self, target: str) -> None:
        assert self.link is not None
        if self.link.is_symlink():
            self.link.unlink()
        elif self.link.exists():
            raise DeviceError(f"{self.link} exists and is not a symlink")
        self.link.symlink_to(target)

    async def stop(self) -> None:
        """Stop answering, close both fds and remove the symlink; safe twice."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        if self._master >= 0:
            if self._loop is not None:
                self._loop.remove_reader(self._master)
                if self._pending:
                    self._loop.remove_writer(self._master)
            os.close(self._master)
            os.close(self._slave)
            self._master = self._slave = -1
        self._pending.clear()
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()

    async def __aenter__(self) -> PtyHost:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _on_readable(self) -> None:
        try:
            data = os.read(self._master, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        if not data:
            return
        self._read_at = time.monotonic()
        self.received += data
        if self.echo:
            self.write(data)
        try:
            self.device.on_bytes(data)
        except Exception:
            # A bug in a model must not take the whole simulator down.
            _log.exception("simulated device failed on %r", data)

    def record(self, frame: bytes) -> None:
        """Note a frame the model recognised, stamped with its read's time."""
        self.frames.append(LineFrame(self._read_at, bytes(frame)))
        self._frame_arrived.set()

    def write(self, data: bytes) -> None:
        """Send bytes to the driver now."""
        if self._master < 0 or not data:
            return
        self.sent_bytes += len(data)
        if self._pending:
            self._pending += data
            return
        try:
            sent = os.write(self._master, data)
        except BlockingIOError:
            sent = 0
        except OSError:
            _log.debug("pty write failed", exc_info=True)
            return
        if sent < len(data):
            self._pending += data[sent:]
            assert self._loop is not None
            self._loop.add_writer(self._master, self._drain)

    def _drain(self) -> None:
        try:
            sent = os.write(self._master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            sent = len(self._pending)
        del self._pending[:sent]
        if not self._pending and self._loop is not None:
            self._loop.remove_writer(self._master)

    def later(self, delay: float, action: Callable[[], None]) -> None:
        """Run `action` after `delay` seconds unless the line stops first."""
        if self._loop is None:
            return
        handle: asyncio.TimerHandle

        def run() -> None:
            self._timers.discard(handle)
            action()

        handle = self._loop.call_later(delay, run)
        self._timers.add(handle)

    def send(
        self, data: bytes, *, delay: float = 0.0, pieces: int = 1, gap: float = 0.005
    ) -> None:
        """Send bytes to the driver, optionally later and split into pieces.

        Args:
            data: The bytes.
            delay: Seconds before the first piece.
            pieces: Into how many roughly equal pieces to split the bytes.
            gap: Seconds between pieces.
        """
        chunks = list(_split(data, pieces))
        if delay <= 0 and len(chunks) == 1:
            self.write(data)
            return
        for index, chunk in enumerate(chunks):
            self.later(delay + index * gap, functools.partial(self.write, chunk))

    async def wait_frame(
        self,
        match: bytes | Callable[[bytes], bool],
        within: float = 1.0,
        *,
        since: int = 0,
    ) -> LineFrame:
        """Wait for a recorded frame equal to (or accepted by) `match`.

        Frames recorded before the call count too, from index `since` on.

        Raises:
            TimeoutError: No such frame arrived in time.
        """

        def accepts(frame: LineFrame) -> bool:
            if isinstance(match, bytes):
                return frame.data == match
            return match(frame.data)

        async with asyncio.timeout(within):
            while True:
                for frame in self.frames[since:]:
                    if accepts(frame):
                        return frame
                self._frame_arrived.clear()
                await self._frame_arrived.wait()


def _split(data: bytes, pieces: int) -> Iterable[bytes]:
    pieces = max(1, min(pieces, len(data) or 1))
    size, extra = divmod(len(data), pieces)
    start = 0
    for index in range(pieces):
        end = start + size + (1 if index < extra else 0)
        yield data[start:end]
        start = end
