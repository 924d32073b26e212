"""The exceptions of the package. Their messages never contain the secret."""

from __future__ import annotations

import builtins

TYPE_CHECKING = False  # `typing` costs milliseconds of import time; type checkers read this as True
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Type


class AvochatoError(Exception):
    """Base class: ``status``, ``request_id``, the API's ``errors``, and the ``kind``."""

    kind: str
    """``authentication``, ``permission_denied``, ``not_found``, ``invalid_request``,
    ``rate_limited``, ``server``, ``timeout``, ``connection``, ``decode``, ``validation``."""
    status: Optional[int]
    """The HTTP status, when a response arrived."""
    request_id: Optional[str]
    """The ``X-Request-Id`` header, when a response arrived."""
    errors: List[str]
    """The API's messages (its ``errors`` field), or the validation message."""
    retry_after: Optional[float]
    """For rate limiting: seconds the API asked to wait."""
    param: Optional[str]
    """For validation errors: the parameter at fault."""
    body: Optional[str]
    """The start of an unexpected response body."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = "unknown",
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        errors: Optional[List[str]] = None,
        retry_after: Optional[float] = None,
        param: Optional[str] = None,
        body: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.request_id = request_id
        self.errors = list(errors or [])
        self.retry_after = retry_after
        self.param = param
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}, request_id={self.request_id!r})"


class AuthenticationError(AvochatoError):
    """401: missing or wrong credentials."""


class PermissionDeniedError(AvochatoError):
    """403: not allowed (also an inbox the credential cannot use)."""


class NotFoundError(AvochatoError):
    """404."""


class InvalidRequestError(AvochatoError):
    """Any other 4xx."""


class RateLimitError(AvochatoError):
    """429: the API ignored the request; see ``retry_after``."""


class ServerError(AvochatoError):
    """5xx, or an HTML error page."""


class TimeoutError(AvochatoError, builtins.TimeoutError):
    """No complete answer within the timeout (also a builtin ``TimeoutError``)."""


class ConnectionError(AvochatoError, builtins.ConnectionError):
    """No connection, or it broke (also a builtin ``ConnectionError``)."""


class DecodeError(AvochatoError):
    """An answer that is not the documented shape."""


class ValidationError(AvochatoError, ValueError):
    """Refused before anything was sent: bad parameters or configuration (also a ``ValueError``)."""


class InternalError(AvochatoError):
    """A bug in the SDK, caught instead of crashing: please report it."""


ERROR_CLASSES: Dict[str, Type[AvochatoError]] = {
    "authentication": AuthenticationError,
    "permission_denied": PermissionDeniedError,
    "not_found": NotFoundError,
    "invalid_request": InvalidRequestError,
    "rate_limited": RateLimitError,
    "server": ServerError,
    "timeout": TimeoutError,
    "connection": ConnectionError,
    "decode": DecodeError,
    "validation": ValidationError,
    "internal": InternalError,
}
