"""What can go wrong talking to Konnect, split by what the caller should do."""

from __future__ import annotations


class KonnectError(Exception):
    """Base of every Konnect client error."""


class KonnectUnavailable(KonnectError):
    """Konnect could not be reached or failed for now: try again later."""


class KonnectRejected(KonnectError):
    """Konnect refused the request for good: retrying the same request won't help.

    Attributes:
        status: the HTTP status.
        code: Konnect's error code, such as `unknown_code`.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class CredentialsRefused(KonnectUnavailable):
    """Konnect's token endpoint refused this client's id or secret.

    Not the fault of whatever was being sent: once the credentials are mended
    (a rotated secret put in place), the same request goes through. So callers
    treat it as "try later", never as a final refusal of their request.

    Attributes:
        status: the HTTP status of the token endpoint's answer.
        code: the OAuth 2 error, such as `invalid_client`.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
