"""Bodies of the OAuth 2 token endpoint (RFC 6749)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenResponse(BaseModel):
    """A successful client-credentials grant, as the guide shows it."""

    access_token: str
    expires_in: int = Field(description="Seconds until the token expires.")
    token_type: str = Field(description="Always `Bearer`.")


class OAuthErrorBody(BaseModel):
    """An RFC 6749 section 5.2 error."""

    error: str = Field(description="RFC 6749 error code.")
    error_description: str


TOKEN_FORM_SCHEMA = {
    "type": "object",
    "required": ["grant_type", "client_id", "client_secret"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "scope": {"type": "string", "example": "StockonnectPartnerAPI"},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string"},
    },
}
"""OpenAPI schema of the form body, declared by hand so no form parser is needed."""
