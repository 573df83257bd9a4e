"""One place for HTTP policy: timeouts, tokens, and which failures to retry.

Tokens are fetched on first use, reused, renewed a margin before they expire, and
renewed once more when Konnect answers 401. Renewal is single-flight: callers that
meet an expired token together wait for one token request. Connection errors,
timeouts, 5xx and 429 are transient (`KonnectUnavailable`), and so is a 401
that persists after a renewal; any other 4xx is final (`KonnectRejected`). A
token endpoint that refuses the client's credentials is `CredentialsRefused`:
transient too, since it says nothing against the request itself and is mended
by fixing the credentials.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import SecretStr, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from kiosk.konnect import wire
from kiosk.konnect.errors import (
    CredentialsRefused,
    KonnectRejected,
    KonnectUnavailable,
)

log = logging.getLogger("kiosk.konnect")


class RetryLater(KonnectUnavailable):
    """Konnect asked us to wait: 429 or 503 with `Retry-After`."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KonnectSession:
    """Authenticated requests to Konnect with the project's HTTP policy."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        scope: str = wire.TERMINAL_SCOPE,
        timeout: float = 5.0,
        renew_margin: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare a session; nothing is sent until the first request."""
        self._client_id = client_id
        self._secret = client_secret
        self._scope = scope
        self._renew_margin = renew_margin
        self._clock = clock
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json"},
        )
        self._token: str | None = None
        self._renew_at = 0.0
        self._token_lock = asyncio.Lock()
        self.token_requests = 0
        """How many tokens this session has asked for, for tests and health."""
        self.reachable: bool | None = None
        """Whether Konnect answered the last request; None before the first."""
        self.credentials_refused = False
        """Whether the last token request was refused the client's credentials."""

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        attempts: int = 1,
    ) -> httpx.Response:
        """Send an authenticated request; retry transient failures `attempts` times.

        Returns the response for any 2xx. Raises `KonnectRejected` for a final
        4xx and `KonnectUnavailable` when Konnect could not be reached in time.
        """
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts),
            wait=_wait,
            # Refused credentials stay refused for a while: asking again now
            # only knocks on the token endpoint.
            retry=retry_if_exception_type(KonnectUnavailable)
            & retry_if_not_exception_type(CredentialsRefused),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._authorised(method, path, json, headers or {})
        except KonnectUnavailable:
            self.reachable = False
            raise
        except KonnectRejected:
            self.reachable = True
            raise
        self.reachable = True
        return response

    async def _authorised(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> httpx.Response:
        token = await self._current_token()
        response = await self._send(method, path, body, headers, token)
        if response.status_code == 401:
            # The token may have been revoked or the clocks disagree: renew once.
            token = await self._current_token(stale=token)
            response = await self._send(method, path, body, headers, token)
            if response.status_code == 401:
                # Refusing a token just issued is Konnect's trouble, not the
                # request's: try it later rather than give it up.
                error = _error_body(response).error
                message = f"{method} {path}: fresh token refused, {error}"
                raise KonnectUnavailable(message)
        _raise_for_status(response)
        return response

    async def _send(
        self,
        method: str,
        path: str,
        body: Any,
        headers: dict[str, str],
        token: str,
    ) -> httpx.Response:
        headers = {**headers, "Authorization": f"Bearer {token}"}
        try:
            response = await self._http.request(
                method, path, json=body, headers=headers
            )
        except httpx.TimeoutException as error:
            raise KonnectUnavailable(f"{method} {path} timed out") from error
        except httpx.HTTPError as error:
            raise KonnectUnavailable(f"{method} {path} failed: {error}") from error
        log.debug("%s %s -> %s", method, path, response.status_code)
        return response

    async def _current_token(self, stale: str | None = None) -> str:
        async with self._token_lock:
            fresh = self._clock() < self._renew_at
            if self._token is not None and fresh and self._token != stale:
                return self._token
            self._token, lifetime = await self._fetch_token()
            # Renew a margin early, but never so early that a short-lived token
            # is renewed on every call.
            margin = min(self._renew_margin, lifetime / 4)
            self._renew_at = self._clock() + lifetime - margin
            return self._token

    async def _fetch_token(self) -> tuple[str, float]:
        self.token_requests += 1
        form = {
            "grant_type": "client_credentials",
            "scope": self._scope,
            "client_id": self._client_id,
            "client_secret": self._secret.get_secret_value(),
        }
        try:
            response = await self._http.post(wire.TOKEN_PATH, data=form)
        except httpx.TimeoutException as error:
            raise KonnectUnavailable("token request timed out") from error
        except httpx.HTTPError as error:
            raise KonnectUnavailable(f"token request failed: {error}") from error
        if response.status_code in (400, 401):
            # A configuration problem (a rotated secret, a disabled client): no
            # quick retry mends it, but neither is the request at fault.
            self.credentials_refused = True
            raise CredentialsRefused(
                response.status_code,
                _oauth_error(response),
                f"Konnect refused the credentials of client {self._client_id!r}",
            )
        _raise_for_status(response)
        try:
            token = wire.TokenResponse.model_validate_json(response.content)
        except ValidationError as error:
            raise KonnectUnavailable("token response was not understood") from error
        self.credentials_refused = False
        log.info("obtained a Konnect token valid for %.0f s", token.expires_in)
        return token.access_token, token.expires_in


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    request = response.request
    where = f"{request.method} {request.url.path}"
    if status == 429 or status >= 500:
        retry_after = _retry_after(response)
        raise RetryLater(f"{where} answered {status}", retry_after)
    body = _error_body(response)
    raise KonnectRejected(status, body.error, body.message or where)


def _error_body(response: httpx.Response) -> wire.ErrorBody:
    try:
        return wire.ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return wire.ErrorBody(error=f"http_{response.status_code}")


def _oauth_error(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return f"http_{response.status_code}"
    return str(error) if error else f"http_{response.status_code}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


_backoff = wait_exponential_jitter(multiplier=0.2, max=5.0, jitter=0.2)


def _wait(state: RetryCallState) -> float:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RetryLater) and error.retry_after is not None:
        return min(error.retry_after, 30.0)
    return float(_backoff(state))
