"""A simulator-mode terminal for tests: real emulator, real ptys, real journal."""

from __future__ import annotations

import asyncio
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from kiosk.config import DEFAULT_SIMULATOR_CONFIG, Settings

TOKEN_PATH = "/Auth/core/connect/token"


def sim_settings(tmp: Path, konnect_url: str, **overrides: Any) -> Settings:
    """The simulator's configuration, moved into `tmp`, using `konnect_url`."""
    data = tomllib.loads(DEFAULT_SIMULATOR_CONFIG.read_text())
    data["terminal"]["state_dir"] = str(tmp / "var")
    data["konnect"]["base_url"] = konnect_url
    data["simulator"]["device_dir"] = str(tmp / "sim")
    data["simulator"]["start_emulator"] = False
    for bus in data["lock_buses"]:
        bus["port"] = str(tmp / "sim" / Path(bus["port"]).name)
    data["scanner"]["port"] = str(tmp / "sim" / "scanner0")
    data["keypad"]["port"] = str(tmp / "sim" / "keypad0")
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return Settings(**data)


async def partner_token(client: httpx.AsyncClient) -> str:
    """A token for the emulator's demo partner."""
    response = await client.post(
        TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "scope": "StockonnectPartnerAPI",
            "client_id": "demo-partner",
            "client_secret": "demo-partner-secret",
        },
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def create_goods_in(url: str, tracking_number: str) -> str:
    """Pre-advise a delivery at BH1 through the Partner API; return its code."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        token = await partner_token(client)
        response = await client.post(
            "/Api/goodsin",
            json={"locationIdentifier": "BH1", "trackingNumber": tracking_number},
            headers={"Authorization": f"Bearer {token}"},
        )
        response.raise_for_status()
        code: str = response.json()["accessCode"]
        return code


async def package(url: str, tracking_number: str) -> dict[str, Any]:
    """What the emulator knows of a package."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        token = await partner_token(client)
        response = await client.get(
            f"/Api/packages/{tracking_number}",
            headers={"Authorization": f"Bearer {token}"},
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


async def reported_alarms(url: str) -> list[dict[str, Any]]:
    """The door alarms the emulator holds for BH1, in the order they happened."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        token = await partner_token(client)
        response = await client.get(
            "/Api/locations/BH1/alarms", headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        alarms: list[dict[str, Any]] = response.json()
        return alarms


async def eventually(
    condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
) -> None:
    """Wait until `condition()` holds, failing the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def write_config(
    path: Path,
    *,
    tmp: Path,
    konnect_url: str,
    boards: list[list[str]],
    simulator: bool = False,
    extra: str = "",
) -> Path:
    """A terminal configuration file with Kerong boards on ptys under `tmp`."""
    board_tables = "".join(
        f"\n[[lock_buses.boards]]\naddress = {address}\ndoors = {doors!r}\n"
        for address, doors in enumerate(boards)
    ).replace("'", '"')
    path.write_text(
        f"""
[terminal]
location = "BH1"
state_dir = "{tmp / "var"}"

[konnect]
base_url = "{konnect_url}"
client_id = "bh1-terminal"
client_secret = "bh1-terminal-secret"
timeout_seconds = 2

[[lock_buses]]
name = "bus0"
driver = "kerong-cu16"
port = "{tmp / "sim" / "lockbus0"}"
{board_tables}
[scanner]
driver = "serial-line"
port = "{tmp / "sim" / "scanner0"}"

[simulator]
enabled = {str(simulator).lower()}
start_emulator = false
device_dir = "{tmp / "sim"}"
{extra}
"""
    )
    return path


def big_bank_seed(path: Path, doors: list[str]) -> Path:
    """The demo seed with BH1's doors replaced by `doors`, all Delivery."""
    import json

    demo = Path(__file__).resolve().parents[2] / "kiosk/emulator/demo_seed.json"
    seed = json.loads(demo.read_text())
    location = next(loc for loc in seed["locations"] if loc["identifier"] == "BH1")
    location["doors"] = [
        {
            "identifier": door,
            "profile": "Delivery",
            "size": "M",
            "column": index // 4 + 1,
            "row": index % 4 + 1,
            "heightCm": 20 + 40 * (index % 4),
            "enabled": True,
        }
        for index, door in enumerate(doors)
    ]
    seed.pop("stockDoors", None)
    path.write_text(json.dumps(seed))
    return path
