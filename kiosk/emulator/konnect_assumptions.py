"""Every assumption the emulator makes about Konnect, in one place.

Only the token call and `GET /Api/locations` are confirmed by Konnect's public
pages; everything else follows the partner guide or is this project's own
choice. When Konnect's real specification is available, this module is what
changes: the paths, the scopes, the error body shape and the status codes.
"""

from __future__ import annotations

from typing import Final

# Paths. The guide writes `/Api/skus/` with a trailing slash; both forms are served.
TOKEN_PATH: Final = "/Auth/core/connect/token"
API_PREFIX: Final = "/Api"
TERMINAL_PREFIX: Final = "/Api/terminal"

# The token body is a form. The guide writes its type as `x-www-form-urlencoded`,
# without `application/`; a partner copying the guide sends that, so both count.
TOKEN_CONTENT_TYPES: Final = (
    "application/x-www-form-urlencoded",
    "x-www-form-urlencoded",
)

# OAuth 2 scopes. The partner scope is the guide's; the terminal scope is ours.
PARTNER_SCOPE: Final = "StockonnectPartnerAPI"
TERMINAL_SCOPE: Final = "KonnectTerminalAPI"
GRANT_TYPE: Final = "client_credentials"
TOKEN_TYPE: Final = "Bearer"
DEFAULT_TOKEN_LIFETIME_S: Final = 3600

# RFC 6749 section 5.2 lets an invalid client be refused with 400 or 401; we
# assume Konnect answers 401, as most servers do for bad client credentials.
INVALID_CLIENT_STATUS: Final = 401
OAUTH_ERROR_STATUS: Final = 400

# Goods-in access codes: six digits, alive for seven days unless configured.
ACCESS_CODE_DIGITS: Final = 6
DEFAULT_CODE_LIFETIME_S: Final = 7 * 24 * 3600

# Door profiles, user roles and sizes in Konnect's own words.
DOOR_PROFILES: Final = ("Delivery", "Inventory", "Returns")
USER_ROLES: Final = ("Carrier", "Engineer", "Admin")
DOOR_SIZES: Final = ("S", "M", "L")


class ErrorCode:
    """Stable `error` values of the `{"error", "message", "field"}` body.

    The body shape itself is an assumption: Konnect does not publish one.
    """

    MALFORMED_REQUEST = "malformed_request"
    INVALID_FIELD = "invalid_field"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    MISSING_TOKEN = "missing_token"
    INVALID_TOKEN = "invalid_token"
    INSUFFICIENT_SCOPE = "insufficient_scope"
    WRONG_LOCATION = "wrong_location"
    PREADVICE_DISABLED = "preadvice_disabled"
    USER_DISABLED = "user_disabled"
    UNKNOWN_LOCATION = "unknown_location"
    UNKNOWN_DOOR = "unknown_door"
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_SKU = "unknown_sku"
    UNKNOWN_PACKAGE = "unknown_package"
    UNKNOWN_ORDER = "unknown_order"
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_GOODS_IN = "unknown_goods_in"
    CODE_EXPIRED = "code_expired"
    CODE_USED = "code_used"
    NO_DELIVERY_DOOR = "no_delivery_door"
    DOOR_NOT_DELIVERY = "door_not_delivery"
    DOOR_NOT_INVENTORY = "door_not_inventory"
    DOOR_DISABLED = "door_disabled"
    DOOR_ASSIGNED = "door_assigned"
    DOOR_NOT_STOCK_DOOR = "door_not_stock_door"
    DOOR_OCCUPIED = "door_occupied"
    ALREADY_DELIVERED = "already_delivered"
    ALREADY_COLLECTED = "already_collected"
    TRACKING_NUMBER_MISMATCH = "tracking_number_mismatch"
    DUPLICATE_TRACKING_NUMBER = "duplicate_tracking_number"
    DUPLICATE_SKU = "duplicate_sku"
    DUPLICATE_BARCODE = "duplicate_barcode"
    BARCODE_PREADVISED = "barcode_preadvised"
    TRACKING_NUMBER_IS_SKU_BARCODE = "tracking_number_is_sku_barcode"
    DUPLICATE_ORDER_REFERENCE = "duplicate_order_reference"
    SKU_NOT_SERIALISED = "sku_not_serialised"
    PACKAGE_NOT_AT_DOOR = "package_not_at_door"
    PACKAGE_ON_ORDER = "package_on_order"
    INSUFFICIENT_STOCK = "insufficient_stock"
    AMBIGUOUS_DOOR = "ambiguous_door"
    IDEMPOTENCY_KEY_MISMATCH = "idempotency_key_mismatch"
    NO_HEARTBEAT = "no_heartbeat"


class OAuthError:
    """RFC 6749 section 5.2 `error` values of the token endpoint."""

    INVALID_REQUEST = "invalid_request"
    INVALID_CLIENT = "invalid_client"
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
    INVALID_SCOPE = "invalid_scope"
