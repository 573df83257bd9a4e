"""An asyncio serial port over pyserial that never blocks the event loop.

pyserial opens the device non-blocking; this module watches its file descriptor
with `loop.add_reader`, so bytes are collected as they arrive without a thread,
and every wait has a deadline. Bytes are kept in one receive buffer: protocols
frame replies from that buffer by markers, length and checksum, never by what
one `read()` happened to return.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import termios
from collections.abc import Callable
from typing import Any, TypeVar

import serial

from drivers.base import DeviceError
from drivers.ports import UsbMatch, resolve_port, usb_identity

_log = logging.getLogger(__name__)

T = TypeVar("T")

Extractor = Callable[[bytearray], T | None]
"""Looks at the receive buffer, removes what it consumed, returns a frame or None."""

_READ_CHUNK = 4096
_MAX_EMPTY_READS = 50


class ReplyTimeout(DeviceError):
    """No whole frame arrived before the deadline."""


def describe_open_error(port: str, exc: BaseException) -> str:
    """Turn an open failure into a sentence a technician can act on.

    Args:
        port: The device path that was opened.
        exc: The exception pyserial or the OS raised.

    Returns:
        A message that names the port and, where known, the fix.
    """
    code = getattr(exc, "errno", None)
    if code == errno.EACCES or code == errno.EPERM:
        return (
            f"permission denied on serial port {port}: add the terminal's user to "
            "the 'dialout' group (sudo usermod -aG dialout USER) and log in again, "
            'or install the udev rule that sets GROUP="dialout"'
        )
    if code == errno.ENOENT:
        return (
            f"serial port {port} does not exist: check the cable and the udev "
            "rule that creates this name"
        )
    if code in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK):
        return f"serial port {port} is in use by another process"
    return f"cannot open serial port {port}: {exc}"


class SerialPort:
    """A serial port read through the event loop.

    Args:
        port: Device path, e.g. ``/dev/ttyUSB0`` or a udev symlink, or a USB
            match ``usb:VID:PID[:SERIAL][@LOCATION]`` (see `drivers.ports`).
        baudrate: Line speed.
        bytesize: Data bits.
        parity: ``"N"``, ``"E"`` or ``"O"``.
        stopbits: Stop bits.
        exclusive: Take an advisory lock so two processes cannot share the bus.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        exclusive: bool = True,
    ) -> None:
        self.port = port
        self.device = port
        """The path last opened: `port` itself, or what a USB match found."""
        self.seen: UsbMatch | None = None
        """The USB ids pyserial listed for a path port when it was last open."""
        self.baudrate = baudrate
        self._settings: dict[str, Any] = {
            "baudrate": baudrate,
            "bytesize": bytesize,
            "parity": parity,
            "stopbits": stopbits,
            "exclusive": exclusive,
        }
        self._serial: Any = None
        self._fd = -1
        self._loop: asyncio.AbstractEventLoop | None = None
        self._buffer = bytearray()
        self._arrived = asyncio.Event()
        self._error: DeviceError | None = None
        self._empty_reads = 0
        self.on_arrival: Callable[[], None] | None = None
        """Called after new bytes reach the buffer, for devices that talk unasked."""

    @property
    def is_open(self) -> bool:
        """Whether the port is open and has not failed."""
        return self._serial is not None and self._error is None

    @property
    def name(self) -> str:
        """The port for messages, with the device found or the USB ids last seen."""
        extra = []
        if self.device != self.port:
            extra.append(self.device)
        if self.seen is not None and self.device == self.port:
            extra.append(str(self.seen))
        return f"{self.port} ({', '.join(extra)})" if extra else self.port

    @property
    def error(self) -> DeviceError | None:
        """Why the port failed while open (unplugged, I/O error), if it did."""
        return self._error

    @property
    def buffered(self) -> int:
        """How many received bytes wait in the buffer."""
        return len(self._buffer)

    def bit_time(self, nbytes: int) -> float:
        """Seconds that `nbytes` take on the wire at this baud rate (8N1: 10 bits)."""
        return nbytes * 10 / self.baudrate

    async def open(self) -> None:
        """Open the port and start collecting bytes.

        Raises:
            DeviceError: The port cannot be opened; the message names it and,
                for permission denied, says how to fix it.
        """
        if self._serial is not None:
            if self._error is None:
                return
            self._teardown()
        path = resolve_port(self.port)
        try:
            ser = serial.Serial(path, timeout=0, write_timeout=0, **self._settings)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceError(describe_open_error(self.name, exc)) from exc
        self.device = path
        if path == self.port:
            # Remembered so that a port that later vanishes can be named by
            # the adapter a technician would look for.
            self.seen = usb_identity(path) or self.seen
        self._serial = ser
        self._fd = ser.fileno()
        self._loop = asyncio.get_running_loop()
        self._buffer.clear()
        self._error = None
        self._loop.add_reader(self._fd, self._on_readable)
        _log.debug("opened %s at %d baud", self.port, self.baudrate)

    async def close(self) -> None:
        """Close the port; safe to call twice."""
        self._teardown()

    def _teardown(self) -> None:
        if self._serial is None:
            return
        if self._loop is not None and self._fd >= 0:
            self._loop.remove_reader(self._fd)
        try:
            self._serial.close()
        except (serial.SerialException, OSError):
            _log.debug("error while closing %s", self.port, exc_info=True)
        self._serial = None
        self._fd = -1
        self._buffer.clear()
        self._arrived.set()

    def _on_readable(self) -> None:
        try:
            data = os.read(self._fd, _READ_CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            self._lost(f"serial port {self.name} failed while reading: {exc}")
            return
        if not data:
            self._empty_read()
            return
        self._empty_reads = 0
        self._buffer += data
        self._arrived.set()
        if self.on_arrival is not None:
            try:
                self.on_arrival()
            except Exception:
                _log.exception("arrival handler failed on %s", self.port)

    def _empty_read(self) -> None:
        # With VMIN=0 an empty read is normal when another read (a flush) took
        # the bytes after the loop saw them. A port that keeps waking the loop
        # with nothing to read, or whose settings can no longer be read, is gone.
        self._empty_reads += 1
        try:
            termios.tcgetattr(self._fd)
        except (termios.error, OSError):
            self._lost(f"serial port {self.name} was disconnected")
            return
        if self._empty_reads >= _MAX_EMPTY_READS:
            self._lost(f"serial port {self.name} reports data but gives none")

    def _lost(self, message: str) -> None:
        # Stop watching at once: a vanished device stays readable forever (EIO)
        # and would spin the loop.
        _log.warning("%s", message)
        self._error = DeviceError(message)
        if self._loop is not None and self._fd >= 0:
            self._loop.remove_reader(self._fd)
        self._arrived.set()

    def _check(self) -> None:
        if self._error is not None:
            raise self._error
        if self._serial is None:
            raise DeviceError(f"serial port {self.name} is not open")

    def flush_input(self) -> int:
        """Drop every byte received so far, including what the OS holds.

        Returns:
            How many stale bytes were dropped.
        """
        dropped = len(self.drain_input())
        if dropped:
            _log.debug("flushed %d stale bytes on %s", dropped, self.port)
        return dropped

    def drain_input(self) -> bytes:
        """Take every byte received so far, including what the OS holds."""
        self._check()
        data = bytes(self._buffer)
        self._buffer.clear()
        # Reading here can leave the loop's pending readiness with nothing to
        # read; that empty read is not a sign of a dead port.
        self._empty_reads = 0
        while True:
            try:
                chunk = os.read(self._fd, _READ_CHUNK)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        self._arrived.clear()
        return data

    async def write(self, data: bytes, within: float = 1.0) -> None:
        """Write every byte, waiting (without blocking) while the OS buffer is full.

        Raises:
            DeviceError: The port is closed, failed, or stayed full too long.
        """
        self._check()
        view = memoryview(data)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while view:
            try:
                sent = os.write(self._fd, view)
            except BlockingIOError:
                sent = 0
            except OSError as exc:
                self._lost(f"serial port {self.name} failed while writing: {exc}")
                raise self._error_or(exc) from exc
            view = view[sent:]
            if view:
                await self._wait_writable(loop, deadline)

    def write_now(self, data: bytes) -> None:
        """Write a few bytes at once, without awaiting.

        For commands that must go out even while the calling task is being
        cancelled, such as switching a relay off; a short frame always fits
        in the OS buffer of an open port.

        Raises:
            DeviceError: The port is closed or failed, or the OS took only part.
        """
        self._check()
        try:
            sent = os.write(self._fd, data)
        except OSError as exc:
            self._lost(f"serial port {self.name} failed while writing: {exc}")
            raise self._error_or(exc) from exc
        if sent != len(data):
            raise DeviceError(
                f"serial port {self.port} took {sent} of {len(data)} bytes"
            )

    def _error_or(self, exc: BaseException) -> DeviceError:
        return self._error or DeviceError(f"serial port {self.name}: {exc}")

    async def _wait_writable(
        self, loop: asyncio.AbstractEventLoop, deadline: float
    ) -> None:
        ready = loop.create_future()
        loop.add_writer(self._fd, ready.set_result, None)
        try:
            await asyncio.wait_for(ready, max(0.0, deadline - loop.time()))
        except TimeoutError as exc:
            raise DeviceError(
                f"serial port {self.name} accepts no more bytes (write timed out)"
            ) from exc
        finally:
            loop.remove_writer(self._fd)

    async def _wait_arrival(self, deadline: float | None) -> bool:
        """Wait for new bytes; False if the deadline passed first."""
        self._arrived.clear()
        if deadline is None:
            await self._arrived.wait()
            return True
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(self._arrived.wait(), remaining)
        except TimeoutError:
            return False
        return True

    def extract(self, take: Extractor[T]) -> T | None:
        """Run an extractor over what is buffered now, without waiting."""
        return take(self._buffer)

    async def read_frame(self, extract: Extractor[T], within: float) -> T:
        """Wait until `extract` finds a whole frame in the receive buffer.

        Args:
            extract: Called with the buffer after each arrival; it removes what
                it consumed (the frame and any junk before it) and returns the
                frame, or None while the frame is incomplete.
            within: Seconds to wait in all.

        Raises:
            ReplyTimeout: No frame arrived in time; the message says how many
                unframed bytes were left.
            DeviceError: The port failed, or `extract` rejected a frame.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            self._check()
            frame = extract(self._buffer)
            if frame is not None:
                return frame
            if not await self._wait_arrival(deadline):
                self._check()
                frame = extract(self._buffer)
                if frame is not None:
                    return frame
                raise ReplyTimeout(
                    f"no valid reply on {self.port} within {within:g} s"
                    + (f" ({len(self._buffer)} unframed bytes)" if self._buffer else "")
                )

    async def read_exactly(self, n: int, within: float) -> bytes:
        """Read exactly `n` bytes, or raise `ReplyTimeout` after `within` seconds."""

        def take(buffer: bytearray) -> bytes | None:
            if len(buffer) < n:
                return None
            chunk = bytes(buffer[:n])
            del buffer[:n]
            return chunk

        return await self.read_frame(take, within)

    async def read_some(self, within: float | None = None) -> bytes:
        """Return whatever has arrived, waiting up to `within` s for the first byte.

        Returns:
            The buffered bytes, or ``b""`` if nothing arrived in time.

        Raises:
            DeviceError: The port failed or was closed.
        """
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        while not self._buffer:
            self._check()
            if not await self._wait_arrival(deadline):
                break
        self._check()
        data = bytes(self._buffer)
        self._buffer.clear()
        return data
