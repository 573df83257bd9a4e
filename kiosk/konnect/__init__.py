"""The Konnect client: speaks HTTP to Konnect's terminal API, nothing else."""

from kiosk.konnect.client import TerminalClient
from kiosk.konnect.errors import (
    CredentialsRefused,
    KonnectRejected,
    KonnectUnavailable,
)

__all__ = [
    "CredentialsRefused",
    "KonnectRejected",
    "KonnectUnavailable",
    "TerminalClient",
]
