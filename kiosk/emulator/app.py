"""The FastAPI application: routes, error handlers and the OpenAPI description."""

from __future__ import annotations

from fastapi import FastAPI

from kiosk.emulator.database import Database
from kiosk.emulator.errors import install_error_handlers
from kiosk.emulator.routes import (
    goods_in,
    locations,
    orders,
    reads,
    skus,
    terminal,
    token,
    users,
)
from kiosk.emulator.settings import EmulatorSettings
from kiosk.emulator.state import AppState

DESCRIPTION = """
An emulator of the ByBox Konnect Partner API, for integrating and testing
without a Konnect account, and the terminal API the Locker Access Terminal uses.

* **Partner API**: the endpoints of Konnect's partner guide, under tokens of
  scope `StockonnectPartnerAPI`.
* **Terminal API**: defined by this project (Konnect's is private), under tokens
  of scope `KonnectTerminalAPI` bound to one location.
* **Emulator's own** endpoints are marked so in their descriptions; they do not
  exist in Konnect's guide.

Errors use `{"error", "message", "field"}` everywhere except the token endpoint,
which answers with RFC 6749 error bodies. Malformed input gets 400, never 422.

Choices where the guide is ambiguous:

* `GET /Api/locations` returns a JSON array of location objects (the guide says
  "a list" but shows one object).
* Writes the guide answers with a bare "HTTP 200" return `{"status": "ok"}`.
* The inventory-order URI the guide shows,
  `POST /Api/orders/{locationIdentifier}/skus/{skuIdentifier}/summary`, is
  served with the body the guide shows; the clear form
  `POST /Api/orders/inventory` (emulator's own) takes the same body. The guide
  labels that body a response, so both calls take it as the request and also
  answer with it (`orderReference`, `user`, `skus[{sku, quantity, location,
  locationIdentifier, barcodes}]`, filled with what was reserved), beside the
  order fields the emulator adds (`kind`, `state`, `createdAt`, `completedAt`,
  `packages`).
* Door identifiers are unique only within a location: the guide's door calls
  accept an optional `locationIdentifier`, needed only when ambiguous.
"""


def create_app(settings: EmulatorSettings, db: Database) -> FastAPI:
    """The emulator app serving `db` with `settings`."""
    app = FastAPI(
        title="Konnect emulator",
        version="1.0.0",
        description=DESCRIPTION,
    )
    app.state.emulator = AppState(settings=settings, db=db)
    install_error_handlers(app)
    for module in (token, locations, users, skus, goods_in, orders, reads, terminal):
        app.include_router(module.router)
    return app
