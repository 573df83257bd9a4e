"""Checking access codes and engineers' PINs while Konnect cannot be reached.

The terminal keeps the location's live goods-in codes and its engineers' work,
as Konnect last sent them, but never the codes or PINs themselves: each is
stored as an HMAC under a key of this terminal's own, kept beside the journal
and readable only by its user. A stolen journal then gives no codes without the
key file too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.journal import Journal
from kiosk.konnect import wire
from kiosk.scan import Match, ScanResult, matches
from kiosk.workflows import messages as m


def load_key(path: Path) -> bytes:
    """This terminal's hashing key, made on first use with mode 0600."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    return key


@dataclass(frozen=True)
class Collectable:
    """A package an engineer may take out of a door."""

    tracking_number: str
    door: str
    order_reference: str | None


@dataclass(frozen=True)
class EngineerWork:
    """Who a PIN belongs to and which doors it opens here."""

    user: str
    name: str
    doors: tuple[str, ...]
    """Doors permanently assigned to the engineer."""
    collections: tuple[Collectable, ...]
    """Packages waiting for the engineer, less those already collected here."""


class CodeCache:
    """The offline view of which codes and PINs open a door."""

    def __init__(self, journal: Journal, key: bytes) -> None:
        """A cache stored in `journal`, hashing with `key`."""
        self._journal = journal
        self._key = key

    def _hash(self, secret: str, kind: str = "code") -> str:
        # The kind keeps a PIN and an access code of the same digits apart.
        message = secret.encode() if kind == "code" else f"{kind}:{secret}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def replace(self, work: wire.Work) -> tuple[int, int]:
        """Keep exactly the live codes and engineers of `work`; return the counts."""
        self._journal.replace_work(
            [
                (
                    self._hash(g.access_code),
                    g.goods_in_id,
                    g.tracking_number,
                    g.sku_identifier,
                    g.expires_at,
                )
                for g in work.goods_in
            ],
            [
                (
                    self._hash(e.pin, "pin"),
                    e.user,
                    e.name,
                    json.dumps(
                        {
                            "doors": e.doors,
                            "collections": [
                                c.model_dump(by_alias=True) for c in e.collections
                            ],
                        }
                    ),
                )
                for e in work.engineers
            ],
        )
        return len(work.goods_in), len(work.engineers)

    def engineer(self, pin: str) -> EngineerWork | None:
        """The engineer whose PIN this is, with their work here; None if unknown.

        A package journaled as collected here is left out, so that an engineer
        offline is not sent to a door already emptied.
        """
        found = self._journal.cached_engineer(self._hash(pin, "pin"))
        if found is None:
            return None
        user, name, text = found
        work = json.loads(text)
        return EngineerWork(
            user=user,
            name=name,
            doors=tuple(work["doors"]),
            collections=tuple(
                Collectable(c["trackingNumber"], c["door"], c["orderReference"])
                for c in work["collections"]
                if not self._journal.collected(c["trackingNumber"], c["door"])
            ),
        )

    def check(self, code: str, now: datetime | None = None) -> m.Event:
        """What the cache says of `code`: accepted, or refused with Konnect's words.

        A code the cache does not hold may be newer than the last sync, so it
        is reported as unverifiable rather than invalid.
        """
        found = self._journal.cached_code(self._hash(code))
        if found is None:
            return m.KonnectUnreachable()
        goods_in_id, tracking, sku, expires_at = found
        if self._journal.delivered(goods_in_id):
            return m.CodeRefused("code_used")
        moment = now or datetime.now(UTC)
        if _parse_time(expires_at) <= moment:
            return m.CodeRefused("code_expired")
        return m.CodeAccepted(m.GoodsIn(goods_in_id, tracking, sku))

    def find_package(self, scan: ScanResult, now: datetime | None = None) -> m.Event:
        """Which live goods-in a scanned label belongs to, by carrier rules.

        Returns `PackageFound`, or `PackageNotFound` saying whether the label
        read badly (`near_miss`), is already delivered (`code_used`) or is not
        expected here (`unknown_package`).
        """
        moment = now or datetime.now(UTC)
        live = self._journal.cached_goods_ins()
        verdicts = [matches(scan, tracking) for _, tracking, _, _ in live]
        # A label that is one package exactly is that package, however near
        # it also comes to another's number.
        for (goods_in_id, tracking, sku, expires_at), verdict in zip(
            live, verdicts, strict=True
        ):
            if verdict is not Match.YES:
                continue
            if self._journal.delivered(goods_in_id):
                return m.PackageNotFound("code_used")
            if _parse_time(expires_at) <= moment:
                return m.PackageNotFound("code_expired")
            return m.PackageFound(m.GoodsIn(goods_in_id, tracking, sku))
        if any(
            matches(scan, str(event.payload.get("trackingNumber", ""))) is Match.YES
            for event in self._journal.events("delivery")
        ):
            # Delivered here, and so gone from Konnect's live work: say so.
            return m.PackageNotFound("code_used")
        near = Match.NEAR_MISS in verdicts
        return m.PackageNotFound("near_miss" if near else "unknown_package")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
