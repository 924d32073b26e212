"""Client for the Avochato API: business SMS, live chat, broadcasts, contacts, tickets, users.

``avochato.Client`` blocks (releasing the GIL during I/O); ``avochato.AsyncClient`` returns
awaitables. Both mirror the Rust core one to one: ``client.messages.send(phone=..., message=...)``.
Options default from the ``AVOCHATO_AUTH_ID``, ``AVOCHATO_AUTH_SECRET``, ``AVOCHATO_BASE_URL`` and
``AVOCHATO_SUBDOMAIN`` environment variables. Requests and retries are logged to the
``avochato`` logger (DEBUG and INFO), without the secret; nothing is printed unless logging
is configured, or ``AVOCHATO_LOG=debug`` (or ``info``) is set.
"""

from . import _avochato as _native
from ._avochato import *  # noqa: F401,F403  (clients, resources, models, Page, operations)
from ._errors import (  # `X as X`: re-exported for type checkers
    AuthenticationError as AuthenticationError,
    AvochatoError as AvochatoError,
    ConnectionError as ConnectionError,
    DecodeError as DecodeError,
    InternalError as InternalError,
    InvalidRequestError as InvalidRequestError,
    NotFoundError as NotFoundError,
    PermissionDeniedError as PermissionDeniedError,
    RateLimitError as RateLimitError,
    ServerError as ServerError,
    TimeoutError as TimeoutError,
    ValidationError as ValidationError,
)
from ._errors import ERROR_CLASSES as _ERROR_CLASSES

_native._register_errors(dict(_ERROR_CLASSES))


TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._types import ContactInput as ContactInput
    from ._types import Event as Event
    from ._types import FieldMatch as FieldMatch
    from ._types import Operation as Operation
    from ._types import TimeRange as TimeRange

_TYPES = ("ContactInput", "Event", "FieldMatch", "Operation", "TimeRange")


def __getattr__(name: str) -> object:
    # The typing helpers (TypedDicts, the Event union) load on first use: importing
    # `typing` at start-up would cost more than the rest of the package.
    if name in _TYPES:
        from . import _types

        return getattr(_types, name)
    raise AttributeError(f"module 'avochato' has no attribute {name!r}")
