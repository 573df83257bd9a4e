"""The terminal's calls to Konnect, typed.

The terminal API has no remote commands: the terminal only ever calls Konnect
(code checks, reports, heartbeats, fetching its doors and work), and nothing
listens on it. A locker bank behind a car park's router then offers no way in
from the network, and every door that opens does so for someone standing at it
with a code or a PIN, with a journal record to show for it. A remote command
added one day (a remote open, say) must carry the time Konnect issued it, and
the terminal must refuse it once stale, so that a command held up by an outage
cannot open a door long after anyone meant it to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from kiosk.konnect import wire
from kiosk.konnect.errors import KonnectRejected, KonnectUnavailable
from kiosk.konnect.session import KonnectSession

_M = TypeVar("_M", bound=BaseModel)
_Report = (
    wire.DeliveryReport | wire.CollectionReport | wire.RestockReport | wire.AlarmReport
)


@dataclass(frozen=True)
class CodeRefused:
    """Konnect says the code cannot be used; `reason` is its error code."""

    reason: str
    message: str


class TerminalClient:
    """Konnect's terminal API for one location.

    Every method raises `KonnectUnavailable` when Konnect cannot be reached and
    `KonnectRejected` when it refuses for good.
    """

    def __init__(
        self,
        base_url: str,
        location: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        timeout: float = 5.0,
        renew_margin: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Prepare a client for `location`; nothing is sent yet."""
        self.location = location
        self.session = KonnectSession(
            base_url,
            client_id,
            client_secret,
            timeout=timeout,
            renew_margin=renew_margin,
            transport=transport,
        )

    async def aclose(self) -> None:
        """Release the connections."""
        await self.session.aclose()

    async def doors(self) -> list[wire.Door]:
        """The location's doors with their profile, size and position."""
        response = await self.session.request(
            "GET", wire.doors_path(self.location), attempts=2
        )
        return parse(wire.DoorList, response).doors

    async def work(self) -> wire.Work:
        """The location's open work, for the offline cache."""
        response = await self.session.request(
            "GET", wire.work_path(self.location), attempts=2
        )
        return parse(wire.Work, response)

    async def verify_code(self, code: str) -> wire.GoodsInCode | CodeRefused:
        """Check an access code; refusals are answers, not errors."""
        try:
            response = await self.session.request(
                "POST", wire.verify_code_path(self.location), json={"code": code}
            )
        except KonnectRejected as error:
            if error.status in (404, 410):
                return CodeRefused(error.code, error.message)
            raise
        return parse(wire.GoodsInCode, response)

    async def report_delivery(self, report: wire.DeliveryReport) -> wire.ReportReceipt:
        """Report a delivery; repeating the same event is safe."""
        return await self._report(wire.deliveries_path(self.location), report)

    async def report_collection(
        self, report: wire.CollectionReport
    ) -> wire.ReportReceipt:
        """Report a collection; repeating the same event is safe."""
        return await self._report(wire.collections_path(self.location), report)

    async def report_restock(self, report: wire.RestockReport) -> wire.ReportReceipt:
        """Report a restock; repeating the same event is safe."""
        return await self._report(wire.restocks_path(self.location), report)

    async def report_alarm(self, report: wire.AlarmReport) -> wire.ReportReceipt:
        """Report a door alarm; repeating the same event is safe."""
        return await self._report(wire.alarms_path(self.location), report)

    async def _report(
        self,
        path: str,
        report: _Report,
    ) -> wire.ReportReceipt:
        response = await self.session.request(
            "POST",
            path,
            json=report.model_dump(by_alias=True),
            headers={wire.IDEMPOTENCY_HEADER: report.event_id},
        )
        return parse(wire.ReportReceipt, response)

    async def heartbeat(self, at: str, status: wire.TerminalStatus) -> None:
        """Tell Konnect the terminal is alive and how it is."""
        await self.session.request(
            "POST",
            wire.heartbeat_path(self.location),
            json={"at": at, "status": status.model_dump(by_alias=True)},
        )


def parse(model: type[_M], response: httpx.Response) -> _M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise KonnectUnavailable(
            f"{response.request.url.path}: Konnect's answer was not understood"
        ) from error
