"""`POST /Auth/core/connect/token`: the guide's flow and RFC 6749's refusals."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import httpx

from tests.emulator.helpers import assert_error
from tests.support.emulator import RunningEmulator, running_emulator

TOKEN = "/Auth/core/connect/token"
GUIDE_FORM = {
    "grant_type": "client_credentials",
    "scope": "StockonnectPartnerAPI",
    "client_id": "demo-partner",
    "client_secret": "demo-partner-secret",
}


def _assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert isinstance(body["error_description"], str)
    assert response.headers["cache-control"] == "no-store"


def test_guide_request_returns_the_guide_shape(anonymous: httpx.Client) -> None:
    response = anonymous.post(TOKEN, data=GUIDE_FORM)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert response.headers["cache-control"] == "no-store"
    locations = anonymous.get(
        "/Api/locations", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert locations.status_code == 200


def test_guide_content_type_without_application_is_accepted(
    anonymous: httpx.Client,
) -> None:
    # The guide writes the header as `Content-Type: x-www-form-urlencoded`.
    for content_type in (
        "x-www-form-urlencoded",
        "X-WWW-Form-Urlencoded; charset=utf-8",
        "application/x-www-form-urlencoded",
    ):
        response = anonymous.post(
            TOKEN,
            content=urlencode(GUIDE_FORM).encode(),
            headers={"Content-Type": content_type},
        )

        assert response.status_code == 200, content_type
        assert response.json()["token_type"] == "Bearer"


def test_other_content_types_are_invalid_request(anonymous: httpx.Client) -> None:
    for content_type in ("text/plain", "www-form-urlencoded", "multipart/form-data"):
        response = anonymous.post(
            TOKEN,
            content=urlencode(GUIDE_FORM).encode(),
            headers={"Content-Type": content_type},
        )

        _assert_oauth_error(response, 400, "invalid_request")


def test_openapi_says_which_content_types_the_token_call_takes(
    anonymous: httpx.Client,
) -> None:
    operation = anonymous.get("/openapi.json").json()["paths"][TOKEN]["post"]

    assert "`x-www-form-urlencoded`" in operation["description"]
    assert "`application/x-www-form-urlencoded`" in operation["description"]


def test_scope_may_be_omitted(anonymous: httpx.Client) -> None:
    form = {k: v for k, v in GUIDE_FORM.items() if k != "scope"}

    assert anonymous.post(TOKEN, data=form).status_code == 200


def test_http_basic_client_authentication(anonymous: httpx.Client) -> None:
    basic = base64.b64encode(b"demo-partner:demo-partner-secret").decode()

    response = anonymous.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )

    assert response.status_code == 200


def test_wrong_secret_is_invalid_client(anonymous: httpx.Client) -> None:
    response = anonymous.post(TOKEN, data=GUIDE_FORM | {"client_secret": "guess"})

    _assert_oauth_error(response, 401, "invalid_client")


def test_unknown_client_is_invalid_client(anonymous: httpx.Client) -> None:
    response = anonymous.post(TOKEN, data=GUIDE_FORM | {"client_id": "nobody"})

    _assert_oauth_error(response, 401, "invalid_client")


def test_wrong_grant_type_is_unsupported(anonymous: httpx.Client) -> None:
    response = anonymous.post(TOKEN, data=GUIDE_FORM | {"grant_type": "password"})

    _assert_oauth_error(response, 400, "unsupported_grant_type")


def test_missing_grant_type_is_invalid_request(anonymous: httpx.Client) -> None:
    form = {k: v for k, v in GUIDE_FORM.items() if k != "grant_type"}

    _assert_oauth_error(anonymous.post(TOKEN, data=form), 400, "invalid_request")


def test_other_clients_scope_is_invalid_scope(anonymous: httpx.Client) -> None:
    response = anonymous.post(TOKEN, data=GUIDE_FORM | {"scope": "KonnectTerminalAPI"})

    _assert_oauth_error(response, 400, "invalid_scope")


def test_unknown_scope_is_invalid_scope(anonymous: httpx.Client) -> None:
    for scope in ("NoSuchScope", "StockonnectPartnerAPI NoSuchScope", ""):
        response = anonymous.post(TOKEN, data=GUIDE_FORM | {"scope": scope})

        _assert_oauth_error(response, 400, "invalid_scope")


def test_json_body_is_invalid_request(anonymous: httpx.Client) -> None:
    _assert_oauth_error(anonymous.post(TOKEN, json=GUIDE_FORM), 400, "invalid_request")


def test_partner_api_refuses_missing_and_unknown_tokens(
    anonymous: httpx.Client,
) -> None:
    missing = anonymous.get("/Api/locations")
    unknown = anonymous.get("/Api/locations", headers={"Authorization": "Bearer x"})

    assert_error(missing, 401, "missing_token", "Authorization")
    assert_error(unknown, 401, "invalid_token", "Authorization")


def test_terminal_token_is_refused_on_the_partner_api(
    emulator: RunningEmulator,
) -> None:
    token = emulator.terminal_token()
    response = httpx.get(
        f"{emulator.url}/Api/locations", headers={"Authorization": f"Bearer {token}"}
    )

    assert_error(response, 403, "insufficient_scope")


def test_token_expires_after_its_lifetime() -> None:
    with running_emulator(extra_args=["--token-lifetime", "1"]) as emulator:
        response = httpx.post(f"{emulator.url}{TOKEN}", data=GUIDE_FORM)
        assert response.json()["expires_in"] == 1
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        fresh = httpx.get(f"{emulator.url}/Api/locations", headers=headers)

        time.sleep(1.2)
        stale = httpx.get(f"{emulator.url}/Api/locations", headers=headers)

    assert fresh.status_code == 200
    assert_error(stale, 401, "invalid_token")
