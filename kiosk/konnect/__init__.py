"""The Konnect client: speaks HTTP to Konnect, nothing else.

Usable as a library by a partner's own code: `PartnerClient` covers the Partner
API of Konnect's guide, `TerminalClient` the terminal API, and every argument
and answer is one of the typed models below.
"""

from kiosk.konnect.client import CodeRefused, TerminalClient
from kiosk.konnect.errors import (
    CredentialsRefused,
    KonnectError,
    KonnectRejected,
    KonnectUnavailable,
)
from kiosk.konnect.partner import PartnerClient
from kiosk.konnect.wire import (
    Address,
    AlarmReport,
    CollectionReport,
    Country,
    DeliveryReport,
    Door,
    GoodsInCode,
    GoodsInReceipt,
    InventoryLine,
    InventoryOrder,
    JobPackage,
    Location,
    OrderPackage,
    ReportReceipt,
    RestockReport,
    StockSummary,
    TerminalStatus,
    Work,
    WorkCollection,
    WorkEngineer,
    WorkGoodsIn,
)

__all__ = [
    "Address",
    "AlarmReport",
    "CodeRefused",
    "CollectionReport",
    "Country",
    "CredentialsRefused",
    "DeliveryReport",
    "Door",
    "GoodsInCode",
    "GoodsInReceipt",
    "InventoryLine",
    "InventoryOrder",
    "JobPackage",
    "KonnectError",
    "KonnectRejected",
    "KonnectUnavailable",
    "Location",
    "OrderPackage",
    "PartnerClient",
    "ReportReceipt",
    "RestockReport",
    "StockSummary",
    "TerminalClient",
    "TerminalStatus",
    "Work",
    "WorkCollection",
    "WorkEngineer",
    "WorkGoodsIn",
]
