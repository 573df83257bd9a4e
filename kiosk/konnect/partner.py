"""Konnect's Partner API as a typed library, for a partner's own systems.

Every call of Konnect's partner guide: locations, door and package assignments,
SKUs and pre-advice, job and inventory orders, goods-in, stock doors and stock
summaries. It shares the terminal's HTTP policy (`KonnectSession`): tokens
renewed early and once on a 401, transient failures retried.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr, TypeAdapter

from kiosk.konnect import wire
from kiosk.konnect.client import parse
from kiosk.konnect.session import KonnectSession


class PartnerClient:
    """A partner's client of Konnect.

    Every method raises `KonnectUnavailable` when Konnect cannot be reached and
    `KonnectRejected` when it refuses (with Konnect's error code and message).
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        timeout: float = 10.0,
        attempts: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Prepare a client; nothing is sent yet."""
        self.session = KonnectSession(
            base_url,
            client_id,
            client_secret,
            scope=wire.PARTNER_SCOPE,
            timeout=timeout,
            transport=transport,
        )
        self._attempts = attempts

    async def aclose(self) -> None:
        """Release the connections."""
        await self.session.aclose()

    async def _call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        # Only reads are retried on their own: a repeated write could count twice.
        attempts = self._attempts if method == "GET" else 1
        return await self.session.request(method, path, json=body, attempts=attempts)

    async def locations(self) -> list[wire.Location]:
        """Every location of the partner."""
        response = await self._call("GET", wire.LOCATIONS_PATH)
        body = response.json()
        items = body if isinstance(body, list) else [body]
        return TypeAdapter(list[wire.Location]).validate_python(items)

    async def assign_door(self, user: str, door: str) -> None:
        """Assign a door to a user permanently."""
        await self._call("POST", wire.user_door_path(user, door))

    async def assign_package(self, user: str, tracking_number: str) -> None:
        """Give a user temporary access to collect a delivered package."""
        await self._call(
            "POST",
            wire.collection_assignments_path(user),
            {"barcode": tracking_number},
        )

    async def create_sku(self, identifier: str, name: str, description: str) -> None:
        """Create a serialised SKU."""
        body = {"identifier": identifier, "name": name, "description": description}
        await self._call("POST", wire.SKUS_PATH, body)

    async def create_nsi_sku(
        self, identifier: str, name: str, description: str, barcode: str
    ) -> None:
        """Create a non-serialised SKU, identified by one barcode."""
        body = {
            "identifier": identifier,
            "name": name,
            "description": description,
            "barcode": barcode,
        }
        await self._call("POST", wire.NSI_SKUS_PATH, body)

    async def preadvise(self, sku: str, tracking_number: str) -> None:
        """Tell Konnect a unit of a serialised SKU is on its way."""
        await self._call(
            "POST", wire.preadvice_path(sku), {"trackingNumber": tracking_number}
        )

    async def create_job_order(
        self, reference: str, user: str, packages: list[wire.JobPackage]
    ) -> None:
        """Ask an engineer to move delivered packages on."""
        body = {
            "orderReference": reference,
            "user": user,
            "packages": [p.model_dump(by_alias=True) for p in packages],
        }
        await self._call("POST", wire.JOB_ORDERS_PATH, body)

    async def goods_in(
        self, location: str, tracking_number: str, sku: str | None = None
    ) -> wire.GoodsInReceipt:
        """Pre-advise a delivery by a driver without the app; returns the code."""
        body: dict[str, Any] = {
            "locationIdentifier": location,
            "trackingNumber": tracking_number,
        }
        if sku is not None:
            body["skuIdentifier"] = sku
        response = await self._call("POST", wire.GOODS_IN_PATH, body)
        return parse(wire.GoodsInReceipt, response)

    async def add_stock_door(self, sku: str, door: str, minimum: int = 0) -> None:
        """Make a door a stock location of a SKU."""
        body = {"doorIdentifier": door, "minimumStockLevel": minimum}
        await self._call("POST", wire.sku_doors_path(sku), body)

    async def stock_summary(self, location: str, sku: str) -> wire.StockSummary:
        """How many units of a SKU a location holds, and how many are free."""
        response = await self._call("GET", wire.stock_summary_path(location, sku))
        return parse(wire.StockSummary, response)

    async def create_inventory_order(
        self,
        location: str,
        sku: str,
        reference: str,
        user: str,
        lines: list[wire.InventoryLine],
    ) -> wire.InventoryOrder:
        """Reserve stock for an engineer to collect; returns Konnect's order."""
        body = {
            "orderReference": reference,
            "user": user,
            "skus": [
                line.model_dump(by_alias=True, exclude_none=True) for line in lines
            ],
        }
        response = await self._call(
            "POST", wire.inventory_order_path(location, sku), body
        )
        return parse(wire.InventoryOrder, response)
