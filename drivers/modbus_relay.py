"""Modbus RTU relay boards (Waveshare and generic) on one serial line.

Relays are coils from address 0 (relay 1); door sensors, where fitted, are
discrete inputs from address 0. The board argument is the Modbus device id
(1-247), so several boards can share one RS-485 line. pymodbus builds and
decodes the PDUs (`drivers.modbus_frames`); the line itself is a
`SerialPort`, so a ``usb:VID:PID`` port is looked up at every open, stale
bytes are dropped before each request, and an adapter's echo is recognised.

An unlock switches one coil on for a bounded pulse and off again. From the
moment the "on" may have gone out, an "off" is owed: it is sent even if the
"on" got no reply (the board may have acted on it) or the unlocking task is
cancelled, retried a few times if it fails, and if it still fails it is
retried before every later request to that board. Opening the line switches
every coil of every configured board off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence

from pymodbus.pdu import ModbusPDU

from drivers import modbus_frames as frames
from drivers.base import ChannelState, DeviceError, DoorSensor, Health, LockBus
from drivers.serialport import ReplyTimeout, SerialPort

_log = logging.getLogger(__name__)


class ModbusRelayBoard(LockBus):
    """Relay boards on one Modbus RTU line.

    Args:
        port: Device path or ``usb:VID:PID[:SERIAL][@LOCATION]``.
        baudrate: Line speed (boards default to 9600).
        parity: ``"N"``, ``"E"`` or ``"O"``.
        channels: Relays (and sensor inputs) per board.
        pulse: Seconds a relay stays on for an unlock.
        max_pulse: Upper bound on `pulse`.
        timeout: Seconds to wait for each reply.
        retries: Extra attempts after a missing or garbled reply.
        off_retries: Extra attempts at switching a relay off after a pulse.
        sensors: Whether door sensors are wired to the discrete inputs.
        closed_when_set: Whether a set input means the door is closed.
        board_polarity: Per-board overrides of `closed_when_set`.
        units: Device ids on the line; every coil of each is switched off
            when the line opens.
        echo: Whether the adapter echoes what it sends; None learns it from
            the line at every open.
    """

    family = "Modbus relay board"
    channels: int

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        parity: str = "N",
        channels: int = 8,
        pulse: float = 0.5,
        max_pulse: float = 3.0,
        timeout: float = 0.3,
        retries: int = 1,
        off_retries: int = 3,
        sensors: bool = True,
        closed_when_set: bool = True,
        board_polarity: Mapping[int, bool] | None = None,
        units: Sequence[int] = (1,),
        echo: bool | None = None,
    ) -> None:
        self._port = SerialPort(port, baudrate=baudrate, parity=parity)
        self.channels = channels
        self.max_pulse = max_pulse
        self.pulse = min(pulse, max_pulse)
        self.timeout = timeout
        self.retries = retries
        self.off_retries = off_retries
        self.sensors = sensors
        self.closed_when_set = closed_when_set
        self.board_polarity = dict(board_polarity or {})
        self.units = tuple(units)
        self.echo = echo
        self._echo = echo
        self._lock = asyncio.Lock()
        self._owed: dict[int, set[int]] = {}
        """Coils (0-based) per device that may be on and must be switched off."""
        self._offs: set[asyncio.Task[None]] = set()
        self._health = Health(False, f"{port} not opened yet", port)

    @property
    def port(self) -> str:
        """The configured port."""
        return self._port.port

    @property
    def baudrate(self) -> int:
        """The configured line speed."""
        return self._port.baudrate

    @property
    def senses_doors(self) -> bool:
        """Whether door sensors are wired to the inputs."""
        return self.sensors

    def health(self) -> Health:
        """The outcome of the last request, or the loss of the port."""
        lost = self._port.error
        if lost is not None:
            return Health(False, str(lost), self.port)
        return self._health

    def _fail(self, message: str) -> DeviceError:
        self._health = Health(False, message, self.port)
        return DeviceError(message)

    def _check(self, board: int, channel: int) -> None:
        if not 1 <= board <= 247:
            raise ValueError(f"Modbus device id {board} is not 1-247")
        if not 1 <= channel <= self.channels:
            raise ValueError(f"relay {channel} is not 1-{self.channels}")

    async def open(self) -> None:
        """Open the line and switch every relay of `units` off.

        A board that does not answer is noted in `health` and switched off
        before the next request to it; only a port that cannot be opened
        raises.
        """
        async with self._lock:
            await self._open()

    async def _open(self) -> None:
        if self._port.is_open:
            return
        try:
            await self._port.open()
        except DeviceError as exc:
            raise self._fail(str(exc)) from exc
        self._echo = self.echo
        self._health = Health(True, f"{self.port} open", self.port)
        for unit in self.units:
            self._owed[unit] = set(range(self.channels))
        for unit in self.units:
            try:
                await self._settle(unit)
            except DeviceError as exc:
                _log.warning("%s", exc)

    async def close(self) -> None:
        """Close the line once owed offs are done; safe to call twice."""
        if self._offs:
            await asyncio.gather(*self._offs, return_exceptions=True)
        await self._port.close()

    async def _exchange(
        self, request: bytes, what: str, attempts: int = 0
    ) -> ModbusPDU:
        """Send a request and return its reply; the caller holds an open line.

        Only idempotent requests come here: a retry sends the same bytes.
        """
        unit = request[0]
        if self._echo is None and frames.mirrors(request):
            # Its reply is the request itself: learn first whether the line
            # echoes, from a request whose reply differs.
            await self._exchange(
                frames.read_coils(unit, 0, self.channels), "a coil read"
            )
        error = DeviceError(f"Modbus device {unit}: no attempt made")
        for _attempt in range(attempts or 1 + self.retries):
            extractor = frames.ReplyExtractor(request, self._echo)
            try:
                self._port.flush_input()
                await self._port.write(request)
                reply = await self._port.read_frame(extractor, self.timeout)
            except ReplyTimeout as exc:
                detail = (
                    f"; {', '.join(extractor.skipped)}" if extractor.skipped else ""
                )
                if self._echo and not extractor.echoed:
                    detail += "; the adapter did not echo the request"
                error = DeviceError(
                    f"Modbus device {unit} on {self.port} did not answer {what} "
                    f"within {self.timeout:g} s{detail}"
                )
                error.__cause__ = exc
            except DeviceError as exc:
                error = exc
                if not self._port.is_open:
                    break
            else:
                if reply.isError():
                    raise self._fail(
                        f"Modbus device {unit} on {self.port} refused {what} "
                        f"(exception {reply.exception_code})"
                    )
                self._health = Health(
                    True, f"device {unit} answered on {self.port}", self.port
                )
                return reply
            finally:
                # An echo shows even when the board is dead.
                self._learn(extractor)
        raise self._fail(str(error))

    def _learn(self, extractor: frames.ReplyExtractor) -> None:
        if self.echo is None and extractor.echoed is not None:
            self._echo = extractor.echoed

    async def _settle(self, unit: int) -> None:
        """Switch off what is owed on `unit`; raises if it does not answer."""
        owed = self._owed.get(unit)
        if not owed:
            return
        if len(owed) == self.channels:
            request = frames.write_coils(unit, 0, [False] * self.channels)
            await self._exchange(request, "switching every relay off")
            owed.clear()
            return
        for coil in sorted(owed):
            request = frames.write_coil(unit, coil, False)
            await self._exchange(request, f"switching relay {coil + 1} off")
            owed.discard(coil)

    async def unlock(self, board: int, channel: int) -> None:
        """Switch the relay on for the pulse, then off, whatever happens.

        Raises:
            DeviceError: The board did not answer the "on" (the "off" has
                been sent all the same) or an earlier owed "off".
        """
        self._check(board, channel)
        coil = channel - 1
        loop = asyncio.get_running_loop()
        try:
            async with self._lock:
                await self._open()
                await self._settle(board)
                # From here the "on" may reach the board whatever follows.
                self._owed.setdefault(board, set()).add(coil)
                started = loop.time()
                await self._exchange(
                    frames.write_coil(board, coil, True),
                    f"switching relay {channel} on",
                )
            await asyncio.sleep(max(0.0, self.pulse - (loop.time() - started)))
        finally:
            if coil in self._owed.get(board, ()):
                off = asyncio.create_task(self._switch_off(board, coil))
                self._offs.add(off)
                off.add_done_callback(self._offs.discard)
                await asyncio.shield(off)

    async def _switch_off(self, unit: int, coil: int) -> None:
        request = frames.write_coil(unit, coil, False)
        async with self._lock:
            try:
                await self._open()
                await self._exchange(
                    request,
                    f"switching relay {coil + 1} off",
                    attempts=1 + self.off_retries,
                )
            except DeviceError as exc:
                message = (
                    f"relay {coil + 1} of Modbus device {unit} on {self.port} may "
                    f"still be on; retried before the next request: {exc}"
                )
                _log.error("%s", message)
                self._health = Health(False, message, self.port)
                return
            self._owed.get(unit, set()).discard(coil)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Door states from the discrete inputs; unknown without sensors.

        Without sensors the coils are read instead, so a board that does not
        answer is still noticed.
        """
        self._check(board, 1)
        async with self._lock:
            await self._open()
            await self._settle(board)
            if not self.sensors:
                request = frames.read_coils(board, 0, self.channels)
                await self._exchange(request, "a coil read")
                return tuple(ChannelState() for _ in range(self.channels))
            request = frames.read_inputs(board, 0, self.channels)
            response = await self._exchange(request, "an input read")
        closed_when_set = self.board_polarity.get(board, self.closed_when_set)
        bits: list[bool] = list(response.bits)[: self.channels]
        return tuple(
            ChannelState(
                door=DoorSensor.CLOSED if bit == closed_when_set else DoorSensor.OPEN
            )
            for bit in bits
        )
