"""A small stand-in for the Konnect emulator's Partner API on 127.0.0.1.

It answers the token call and the three read endpoints `kiosk labels` uses,
with the shapes the emulator serves, so the command is tested over real HTTP.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "stub-token-123"


@dataclass
class Partner:
    """What the stub serves; tests change it before calling the command."""

    client_id: str = "demo-partner"
    client_secret: str = "demo-partner-secret"
    goods_in: list[dict[str, Any]] = field(default_factory=list)
    doors: dict[str, Any] = field(default_factory=dict)
    skus: list[dict[str, Any]] | None = field(default_factory=list)
    """None: the server has no SKU listing (404)."""
    requests: list[str] = field(default_factory=list)


def _handler(partner: Partner) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            partner.requests.append(f"POST {self.path}")
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            if self.path != "/Auth/core/connect/token":
                self._send(404, {"error": "not_found"})
            elif (
                form.get("grant_type") == ["client_credentials"]
                and form.get("scope") == ["StockonnectPartnerAPI"]
                and form.get("client_id") == [partner.client_id]
                and form.get("client_secret") == [partner.client_secret]
            ):
                body = {
                    "access_token": TOKEN,
                    "expires_in": 3600,
                    "token_type": "Bearer",
                }
                self._send(200, body)
            else:
                self._send(400, {"error": "invalid_client"})

        def do_GET(self) -> None:
            partner.requests.append(f"GET {self.path}")
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"error": "unauthorized"})
                return
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/Api/goodsin" and query.get("locationIdentifier") == [
                "BH1"
            ]:
                self._send(200, partner.goods_in)
            elif url.path == "/Api/locations/BH1/doors":
                self._send(200, partner.doors)
            elif url.path == "/Api/skus" and partner.skus is not None:
                self._send(200, partner.skus)
            else:
                self._send(404, {"title": "Not Found"})

    return Handler


@contextmanager
def serve(partner: Partner) -> Iterator[str]:
    """Serve the stub on a free port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(partner))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
