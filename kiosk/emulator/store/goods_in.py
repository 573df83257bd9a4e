"""Goods-in pre-advice: access codes for couriers without the Konnect app."""

from __future__ import annotations

import secrets
import sqlite3
import uuid

from kiosk.emulator.clock import to_iso
from kiosk.emulator.errors import ApiError
from kiosk.emulator.konnect_assumptions import ACCESS_CODE_DIGITS, ErrorCode
from kiosk.emulator.models.partner import GoodsInRequest, GoodsInResponse
from kiosk.emulator.models.reads import OpenGoodsIn
from kiosk.emulator.models.terminal import VerifiedCode
from kiosk.emulator.store.lookups import require_location, require_sku
from kiosk.emulator.store.packages import PREADVISED, add_package
from kiosk.emulator.store.tokens import Client

_LIVE = "delivery_event_id IS NULL AND expires_at > ?"


def create_goods_in(
    conn: sqlite3.Connection,
    client: Client,
    request: GoodsInRequest,
    now: float,
    lifetime_s: int,
) -> GoodsInResponse:
    """Create a goods-in and its access code, enforcing Konnect's rules."""
    if not client.preadvice_enabled:
        raise ApiError(
            403,
            ErrorCode.PREADVICE_DISABLED,
            "Pre-advice is not enabled for this client.",
        )
    _require_client_user(conn, client)
    location = request.locationIdentifier
    require_location(conn, location, "locationIdentifier")
    _require_delivery_door(conn, location)
    sku = _sku_for(conn, request)
    _refuse_open_duplicate(conn, request.trackingNumber, sku, now)

    code = _unused_code(conn, location, now)
    goods_in_id = str(uuid.uuid4())
    expires_at = now + lifetime_s
    conn.execute(
        "INSERT INTO goods_in (id, tracking_number, location, sku, access_code,"
        " created_at, expires_at, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            goods_in_id,
            request.trackingNumber,
            location,
            sku,
            code,
            now,
            expires_at,
            client.client_id,
        ),
    )
    add_package(
        conn, request.trackingNumber, sku, PREADVISED, location, None, now, goods_in_id
    )
    return GoodsInResponse(
        accessCode=code,
        trackingNumber=request.trackingNumber,
        locationIdentifier=location,
        skuIdentifier=sku,
        expiresAt=to_iso(expires_at),
    )


def verify_code(
    conn: sqlite3.Connection, location: str, code: str, now: float
) -> VerifiedCode:
    """What an access code typed at `location` allows; changes nothing."""
    rows = conn.execute(
        "SELECT * FROM goods_in WHERE location = ? AND access_code = ?"
        " ORDER BY created_at DESC",
        (location, code),
    ).fetchall()
    live = [r for r in rows if r["delivery_event_id"] is None and r["expires_at"] > now]
    if live:
        row = live[0]
        return VerifiedCode(
            kind="goodsIn",
            goodsInId=row["id"],
            trackingNumber=row["tracking_number"],
            skuIdentifier=row["sku"],
            expiresAt=to_iso(row["expires_at"]),
        )
    if not rows:
        raise ApiError(404, ErrorCode.UNKNOWN_CODE, "No such access code.", "code")
    if rows[0]["delivery_event_id"] is not None:
        raise ApiError(
            410, ErrorCode.CODE_USED, "This code has already been used.", "code"
        )
    raise ApiError(410, ErrorCode.CODE_EXPIRED, "This code has expired.", "code")


def open_goods_in(
    conn: sqlite3.Connection, location: str | None, now: float
) -> list[OpenGoodsIn]:
    """Goods-ins whose codes are live, oldest first."""
    rows = conn.execute(
        f"SELECT * FROM goods_in WHERE {_LIVE} AND (? IS NULL OR location = ?)"
        " ORDER BY created_at",
        (now, location, location),
    ).fetchall()
    return [
        OpenGoodsIn(
            goodsInId=row["id"],
            accessCode=row["access_code"],
            trackingNumber=row["tracking_number"],
            locationIdentifier=row["location"],
            skuIdentifier=row["sku"],
            createdAt=to_iso(row["created_at"]),
            expiresAt=to_iso(row["expires_at"]),
        )
        for row in rows
    ]


def _require_client_user(conn: sqlite3.Connection, client: Client) -> None:
    if client.user is None:
        return
    row = conn.execute(
        "SELECT enabled FROM users WHERE identifier = ?", (client.user,)
    ).fetchone()
    if row is None or not row["enabled"]:
        raise ApiError(
            403,
            ErrorCode.USER_DISABLED,
            f"The client's user '{client.user}' is not enabled.",
        )


def _require_delivery_door(conn: sqlite3.Connection, location: str) -> None:
    row = conn.execute(
        "SELECT 1 FROM doors WHERE location = ? AND profile = 'Delivery'"
        " AND enabled = 1 LIMIT 1",
        (location,),
    ).fetchone()
    if row is None:
        raise ApiError(
            409,
            ErrorCode.NO_DELIVERY_DOOR,
            f"Location '{location}' has no enabled delivery door.",
            "locationIdentifier",
        )


def _sku_for(conn: sqlite3.Connection, request: GoodsInRequest) -> str | None:
    """The SKU named, else the one pre-advised or whose barcode this is."""
    if request.skuIdentifier is not None:
        require_sku(conn, request.skuIdentifier, "skuIdentifier")
        return request.skuIdentifier
    row = conn.execute(
        "SELECT sku FROM preadvices WHERE tracking_number = ?",
        (request.trackingNumber,),
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT identifier AS sku FROM skus WHERE barcode = ?",
            (request.trackingNumber,),
        ).fetchone()
    return None if row is None else str(row["sku"])


def _refuse_open_duplicate(
    conn: sqlite3.Connection, tracking_number: str, sku: str | None, now: float
) -> None:
    # Parts of a non-serialised SKU all carry its barcode, so only a unique
    # tracking number is refused while its package is still in play.
    if sku is not None:
        row = conn.execute(
            "SELECT serialised FROM skus WHERE identifier = ? AND barcode = ?",
            (sku, tracking_number),
        ).fetchone()
        if row is not None:
            return
    row = conn.execute(
        "SELECT 1 FROM packages WHERE tracking_number = ? AND state = 'delivered'"
        f" UNION ALL SELECT 1 FROM goods_in WHERE tracking_number = ? AND {_LIVE}",
        (tracking_number, tracking_number, now),
    ).fetchone()
    if row is not None:
        raise ApiError(
            409,
            ErrorCode.DUPLICATE_TRACKING_NUMBER,
            f"Package '{tracking_number}' is already expected or in a locker.",
            "trackingNumber",
        )


def _unused_code(conn: sqlite3.Connection, location: str, now: float) -> str:
    """A random code no live goods-in at `location` holds."""
    while True:
        code = str(secrets.randbelow(10**ACCESS_CODE_DIGITS)).zfill(ACCESS_CODE_DIGITS)
        taken = conn.execute(
            "SELECT 1 FROM goods_in WHERE location = ? AND access_code = ?"
            f" AND {_LIVE}",
            (location, code, now),
        ).fetchone()
        if taken is None:
            return code
