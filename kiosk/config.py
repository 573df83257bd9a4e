"""The terminal's configuration: one TOML file, overridable from the environment.

Every setting lives here, typed. A file with a key we do not know is refused with a
"did you mean" hint rather than silently ignored, because a misspelt setting at a
locker bank is otherwise found only when a door fails to open.

Environment variables override the file: `KIOSK_KONNECT__BASE_URL=...` sets
`[konnect] base_url`.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEFAULT_SIMULATOR_CONFIG = Path(__file__).resolve().parents[1] / "config/simulator.toml"


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerminalSettings(_Section):
    """Who this terminal is."""

    location: str = Field(min_length=1)
    """Konnect's identifier of the location this terminal serves."""
    name: str = "Locker Access Terminal"
    state_dir: Path = Path("var")
    """Where the journal and the runtime files live."""


class KonnectSettings(_Section):
    """How to reach Konnect's terminal API."""

    base_url: str = "http://127.0.0.1:8470"
    client_id: str = Field(min_length=1)
    client_secret: SecretStr | None = None
    client_secret_file: Path | None = None
    """A file holding only the secret; preferred in production."""
    scope: str = "KonnectTerminalAPI"
    timeout_seconds: float = Field(default=5.0, gt=0)
    token_renew_margin_seconds: float = Field(default=60.0, ge=0)
    sync_seconds: float = Field(default=60.0, gt=0)
    """How often the terminal says it is alive and fetches its location's work."""

    @model_validator(mode="after")
    def _one_secret(self) -> KonnectSettings:
        if (self.client_secret is None) == (self.client_secret_file is None):
            raise ValueError("set exactly one of client_secret and client_secret_file")
        return self

    def secret(self) -> SecretStr:
        """The client secret, read from its file when configured so."""
        if self.client_secret is not None:
            return self.client_secret
        assert self.client_secret_file is not None
        try:
            text = self.client_secret_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(
                f"cannot read the Konnect client secret file "
                f"{self.client_secret_file}: {error.strerror}"
            ) from None
        return SecretStr(text)


class BoardSettings(_Section):
    """One lock board on a bus and the doors wired to its channels, channel 1 first."""

    address: int = Field(ge=0, le=255)
    doors: list[str]
    """Door identifiers by channel; an empty string leaves a channel unused."""
    locked_when_set: bool | None = None
    """This board's lock-bit polarity: true if a set bit means locked (door
    shut), false if it means unlocked; for Modbus relay boards, whether a set
    input means the door is shut. Unset, the bus's `locked_when_set` option
    (or the driver's default) applies. Sources disagree even for one board
    model, so check it at commissioning: open one door, read it back."""


class LockBusSettings(_Section):
    """A bus of lock boards of one family on one port."""

    name: str = Field(min_length=1)
    driver: str = Field(min_length=1)
    """A back-end name known to `drivers.registry`, such as `kerong-cu16`."""
    port: str = Field(min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)
    """Driver settings such as `baudrate` or `locked_when_set`."""
    boards: list[BoardSettings] = Field(min_length=1)


class ScannerSettings(_Section):
    """The barcode scanner."""

    driver: str = "serial-line"
    port: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


class KeypadSettings(_Section):
    """Where keys come from; `keyboard` is the terminal's own keyboard."""

    driver: str = "keyboard"
    port: str = ""
    options: dict[str, Any] = Field(default_factory=dict)


class JournalSettings(_Section):
    """How long the journal remembers."""

    keep_days: float = Field(default=90.0, gt=0)
    """Events older than this are forgotten once Konnect has them."""


class UiSettings(_Section):
    """Timings and looks of the screen."""

    inactivity_seconds: float = Field(default=45.0, gt=0)
    done_seconds: float = Field(default=8.0, gt=0)
    """How long the confirmation stays before the screen returns home."""
    console_profile: bool = False
    """Basic colours and ASCII borders for the Linux console (`TERM=linux`)."""


class DoorSettings(_Section):
    """How doors are watched."""

    poll_seconds: float = Field(default=0.25, gt=0)
    unlock_confirm_seconds: float = Field(default=2.0, gt=0)
    open_alarm_seconds: float = Field(default=120.0, gt=0)
    """A door left open longer than this raises an alarm."""


class SecuritySettings(_Section):
    """Limits on guessing codes."""

    max_failed_codes: int = Field(default=5, ge=1)
    lockout_seconds: float = Field(default=60.0, ge=0)
    code_min_length: int = Field(default=4, ge=1)
    code_max_length: int = Field(default=12, ge=1)


class SimulatorSettings(_Section):
    """Simulator mode: simulated devices and a local Konnect emulator."""

    enabled: bool = False
    start_emulator: bool = True
    """Start the emulator at `[konnect] base_url` when nothing answers there."""
    device_dir: Path = Path("var/sim")
    """Where the simulated devices' stable names and the control socket live."""

    @property
    def control_socket(self) -> Path:
        """The socket `kiosk sim` commands talk to."""
        return self.device_dir / "control.sock"


class Settings(BaseSettings):
    """The whole configuration of one terminal."""

    model_config = SettingsConfigDict(
        env_prefix="KIOSK_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    terminal: TerminalSettings
    konnect: KonnectSettings
    lock_buses: list[LockBusSettings] = Field(min_length=1)
    scanner: ScannerSettings | None = None
    keypad: KeypadSettings = KeypadSettings()
    journal: JournalSettings = JournalSettings()
    ui: UiSettings = UiSettings()
    doors: DoorSettings = DoorSettings()
    security: SecuritySettings = SecuritySettings()
    simulator: SimulatorSettings = SimulatorSettings()

    @field_validator("lock_buses")
    @classmethod
    def _doors_unique(cls, buses: list[LockBusSettings]) -> list[LockBusSettings]:
        seen: set[str] = set()
        for bus in buses:
            for board in bus.boards:
                for door in filter(None, board.doors):
                    if door in seen:
                        raise ValueError(f"door {door!r} is wired twice")
                    seen.add(door)
        return buses

    @field_validator("lock_buses")
    @classmethod
    def _boards_unique(cls, buses: list[LockBusSettings]) -> list[LockBusSettings]:
        for bus in buses:
            addresses = [board.address for board in bus.boards]
            twice = sorted({a for a in addresses if addresses.count(a) > 1})
            if twice:
                # Two boards answering to one address garble every reply.
                raise ValueError(f"bus {bus.name!r} has board address {twice[0]} twice")
        return buses

    @model_validator(mode="after")
    def _emulator_is_local(self) -> Settings:
        if self.simulator.enabled and self.simulator.start_emulator:
            emulator_port(self.konnect.base_url)
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file, which arrives as init arguments.
        return (env_settings, init_settings)

    def make_state_dir(self) -> None:
        """Make the state folder if it is missing.

        Raises:
            ConfigError: It cannot be made; the message names it and says why.
        """
        folder = self.terminal.state_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(
                f"cannot make the state folder {folder} ([terminal] state_dir):"
                f" {error.strerror}"
            ) from None

    @property
    def journal_path(self) -> Path:
        """The SQLite journal file."""
        return self.terminal.state_dir / "journal.sqlite3"

    def door_ids(self) -> list[str]:
        """Every wired door, in bus, board and channel order."""
        return [
            door
            for bus in self.lock_buses
            for board in bus.boards
            for door in board.doors
            if door
        ]


def emulator_port(base_url: str) -> int:
    """The port of a local emulator at `base_url`.

    Raises:
        ValueError: `base_url` is not a plain http address on this machine.
    """
    parts = urlsplit(base_url)
    if (
        parts.scheme != "http"
        or parts.hostname not in ("127.0.0.1", "localhost")
        or parts.port is None
    ):
        raise ValueError(
            "to start the emulator, konnect.base_url must be http on this machine"
            f" with a port, such as http://127.0.0.1:8470 (it is {base_url!r})"
        )
    return parts.port


def load_settings(path: Path | None = None) -> Settings:
    """Read a configuration file; with no path, the simulator's default.

    Raises:
        ConfigError: the file is missing, is not TOML, or holds a bad value; the
            message names the key and, for an unknown key, suggests a known one.
    """
    path = path or DEFAULT_SIMULATOR_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path} is not UTF-8 text (byte {error.start} is not)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    try:
        return Settings(**data)
    except ValidationError as error:
        raise ConfigError(_describe(path, error)) from None


def _describe(path: Path, error: ValidationError) -> str:
    lines = [f"{path} has {error.error_count()} problem(s):"]
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        origin = _from_environment(problem["loc"])
        if problem["type"] == "extra_forbidden":
            lines.append(f"  {where}: unknown setting{_suggestion(problem['loc'])}")
        else:
            said = problem["msg"].removeprefix("Value error, ")
            lines.append(f"  {where}: {said}" if where else f"  {said}")
        if origin:
            lines[-1] += f" (set by the environment variable {origin})"
    return "\n".join(lines)


def _from_environment(location: tuple[int | str, ...]) -> str | None:
    """The `KIOSK_` variable that set the value at `location`, if one did."""
    names = [str(part).upper() for part in location if isinstance(part, str)]
    for end in range(len(names), 0, -1):
        variable = "KIOSK_" + "__".join(names[:end])
        if variable in os.environ:
            return variable
    return None


def _suggestion(location: tuple[int | str, ...]) -> str:
    name = str(location[-1])
    known = _known_keys(location[:-1])
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _known_keys(parent: tuple[int | str, ...]) -> list[str]:
    model: Any = Settings
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_of(field.annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_of(argument)
        if found is not None:
            return found
    return None
