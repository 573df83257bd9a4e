"""HTTP policy of the Konnect client, through an in-process transport."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest
from pydantic import SecretStr

from kiosk.konnect import (
    CredentialsRefused,
    KonnectRejected,
    KonnectUnavailable,
    TerminalClient,
)
from kiosk.konnect.client import CodeRefused
from kiosk.konnect.session import KonnectSession

SECRET = "very-secret-value"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeKonnect:
    """A scripted Konnect: counts tokens, answers API calls from a queue."""

    def __init__(self, lifetime: float = 3600, clock: Clock | None = None) -> None:
        self.lifetime = lifetime
        self.clock = clock
        self.tokens = 0
        self.valid: set[str] = set()
        self.expires: dict[str, float] = {}
        self.unauthorised = 0
        self.api_delay = 0.0
        self.answers: list[httpx.Response] = []
        self.seen: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/Auth/core/connect/token":
            await asyncio.sleep(0.01)  # let concurrent callers pile up
            self.tokens += 1
            token = f"token-{self.tokens}"
            self.valid.add(token)
            if self.clock is not None:
                self.expires[token] = self.clock.now + self.lifetime
            return httpx.Response(
                200,
                json={
                    "access_token": token,
                    "expires_in": self.lifetime,
                    "token_type": "Bearer",
                },
            )
        await asyncio.sleep(self.api_delay)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expired = self.clock is not None and self.clock.now >= self.expires[bearer]
        if bearer not in self.valid or expired:
            self.unauthorised += 1
            return httpx.Response(401, json={"error": "invalid_token", "message": ""})
        if self.answers:
            return self.answers.pop(0)
        return httpx.Response(200, json={"ok": True})


def session(fake: FakeKonnect, clock: Clock | None = None) -> KonnectSession:
    return KonnectSession(
        "http://konnect.test",
        "bh1-terminal",
        SecretStr(SECRET),
        renew_margin=60,
        transport=httpx.MockTransport(fake),
        clock=clock or Clock(),
    )


async def test_the_token_is_fetched_once_and_reused():
    fake = FakeKonnect()
    s = session(fake)
    for _ in range(3):
        await s.request("GET", "/Api/x")
    assert fake.tokens == 1
    form = dict(httpx.QueryParams(fake.seen[0].content.decode()))
    assert form == {
        "grant_type": "client_credentials",
        "scope": "KonnectTerminalAPI",
        "client_id": "bh1-terminal",
        "client_secret": SECRET,
    }
    await s.aclose()


async def test_the_token_is_renewed_before_it_expires():
    fake, clock = FakeKonnect(lifetime=300), Clock()
    s = session(fake, clock)
    await s.request("GET", "/Api/x")
    clock.now = 239  # still more than the 60 s margin left
    await s.request("GET", "/Api/x")
    assert fake.tokens == 1
    clock.now = 241
    await s.request("GET", "/Api/x")
    assert fake.tokens == 2
    await s.aclose()


async def test_concurrent_callers_share_one_token_request():
    fake = FakeKonnect()
    s = session(fake)
    await asyncio.gather(*(s.request("GET", "/Api/x") for _ in range(20)))
    assert fake.tokens == 1
    await s.aclose()


async def test_two_calls_that_meet_an_expired_token_cause_one_token_request():
    clock = Clock()
    fake = FakeKonnect(lifetime=300, clock=clock)
    s = session(fake, clock)
    await s.request("GET", "/Api/x")
    clock.now = 1000  # long past the token's expiry, on both sides
    await asyncio.gather(s.request("GET", "/Api/x"), s.request("GET", "/Api/x"))
    assert fake.tokens == 2
    assert fake.unauthorised == 0  # renewed before sending, not after a 401
    await s.aclose()


async def test_two_calls_refused_an_expired_token_renew_it_once():
    clock = Clock()
    fake = FakeKonnect(lifetime=300, clock=clock)
    s = session(fake, clock)
    await s.request("GET", "/Api/x")
    # Konnect's clock runs ahead: the token expired there while the terminal
    # still thinks it fresh. Both calls meet a 401 with the same token.
    fake.expires = dict.fromkeys(fake.expires, -1.0)
    fake.api_delay = 0.01  # both calls are on the wire before either hears
    clock.now = 10
    first, second = await asyncio.gather(
        s.request("GET", "/Api/x"), s.request("GET", "/Api/x")
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert fake.unauthorised == 2
    assert fake.tokens == 2
    await s.aclose()


async def test_a_revoked_token_is_renewed_once_on_401():
    fake = FakeKonnect()
    s = session(fake)
    await s.request("GET", "/Api/x")
    fake.valid.clear()
    response = await s.request("GET", "/Api/x")
    assert response.status_code == 200
    assert fake.tokens == 2
    await s.aclose()


async def test_transient_failures_are_retried_and_honour_retry_after():
    fake = FakeKonnect()
    fake.answers = [
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.Response(200, json={"ok": True}),
    ]
    s = session(fake)
    response = await s.request("GET", "/Api/x", attempts=3)
    assert response.json() == {"ok": True}
    await s.aclose()


async def test_a_final_refusal_is_not_retried():
    fake = FakeKonnect()
    fake.answers = [
        httpx.Response(409, json={"error": "door_not_delivery", "message": "no"})
    ]
    s = session(fake)
    with pytest.raises(KonnectRejected) as raised:
        await s.request("POST", "/Api/x", json={}, attempts=5)
    assert (raised.value.status, raised.value.code) == (409, "door_not_delivery")
    assert len([r for r in fake.seen if r.url.path == "/Api/x"]) == 1
    await s.aclose()


async def test_an_unreachable_konnect_is_unavailable():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    s = KonnectSession(
        "http://konnect.test",
        "id",
        SecretStr(SECRET),
        transport=httpx.MockTransport(refuse),
    )
    with pytest.raises(KonnectUnavailable):
        await s.request("GET", "/Api/x")
    await s.aclose()


async def test_refused_credentials_are_for_later_and_not_retried_at_once():
    asked: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(401, json={"error": "invalid_client"})

    s = KonnectSession(
        "http://konnect.test",
        "id",
        SecretStr(SECRET),
        transport=httpx.MockTransport(refuse),
    )
    with pytest.raises(CredentialsRefused, match="invalid_client") as raised:
        await s.request("GET", "/Api/x", attempts=3)
    # Not the request's fault: callers wait and try again, never give it up.
    assert isinstance(raised.value, KonnectUnavailable)
    assert not isinstance(raised.value, KonnectRejected)
    assert s.credentials_refused is True
    assert asked == ["/Auth/core/connect/token"]
    await s.aclose()


async def test_secrets_never_reach_the_log(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    fake = FakeKonnect()
    s = session(fake)
    await s.request("GET", "/Api/x")
    await s.aclose()
    assert SECRET not in caplog.text
    assert "token-1" not in caplog.text


async def test_code_refusals_are_answers():
    fake = FakeKonnect()
    fake.answers = [
        httpx.Response(410, json={"error": "code_expired", "message": "expired"})
    ]
    client = TerminalClient(
        "http://konnect.test",
        "BH1",
        "bh1-terminal",
        SecretStr(SECRET),
        transport=httpx.MockTransport(fake),
    )
    assert await client.verify_code("123456") == CodeRefused("code_expired", "expired")
    request = fake.seen[-1]
    assert request.url.path == "/Api/terminal/locations/BH1/codes/verify"
    assert json.loads(request.content) == {"code": "123456"}
    await client.aclose()


async def test_an_answer_that_is_not_understood_is_unavailable():
    fake = FakeKonnect()
    fake.answers = [httpx.Response(200, json={"unexpected": True})]
    client = TerminalClient(
        "http://konnect.test",
        "BH1",
        "id",
        SecretStr(SECRET),
        transport=httpx.MockTransport(fake),
    )
    with pytest.raises(KonnectUnavailable, match="not understood"):
        await client.verify_code("123456")
    await client.aclose()


async def test_a_fresh_token_refused_again_is_for_later_not_final():
    fake = FakeKonnect()
    s = session(fake)
    await s.request("GET", "/Api/x")
    fake.valid.clear()
    fake.answers = [httpx.Response(401, json={"error": "invalid_token", "message": ""})]
    with pytest.raises(KonnectUnavailable, match="fresh token refused"):
        await s.request("POST", "/Api/x", json={})
    assert fake.tokens == 2
    await s.aclose()
