"""A back end for web widgets: holds the credential and lets a page call only what you allow.

A page can never hold ``auth_secret``; in *proxy mode* the SDK on the page sends its calls,
without credentials, to a back end of yours. This module is that back end, built on the
core's decision (the same in every host): for each request it tells which documented
operation it is, refuses it unless the allow-list has it (and any other operation the same
request fits), refuses path tricks, a page's own credentials, bodies over the size limit and
pinned parameters sent with another value, and only then sends the request upstream with
the credentials added. Refusals are JSON in the API's error shape (403 not allowed, 404 no
such operation, 400 malformed, 413 too large) and send nothing; the API's answers pass
through with their status and ``x-request-id``; the secret is never in an answer or a log
line (logger ``avochato.proxy``).

    from fastapi import FastAPI
    import avochato.proxy

    app = FastAPI()
    app.mount("/api/avochato", avochato.proxy.asgi_app(allow=["messages.send"], pin={"subdomain": "support"}))

Flask / Django: ``avochato.proxy.wsgi_app(...)`` (mount it with ``DispatcherMiddleware`` or
call it from a view). Requests go upstream with the standard library (``http.client``), in a
worker thread for the ASGI app.
"""

from __future__ import annotations

import asyncio
import http.client
import inspect
import json
import logging
import re
import socket
import urllib.parse
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _avochato as _native

__all__ = ["ProxyRequestInfo", "asgi_app", "wsgi_app"]

_log = logging.getLogger("avochato.proxy")


@dataclass(frozen=True)
class ProxyRequestInfo:
    """What the ``authorize`` hook is told about a request the policy allows.

    ``operation``: the operation it is (``messages.send``), the most specific of
    ``operations``: every operation the request fits, all allowed (``("messages.send_live_chat",
    "messages.send")`` for a live-chat message: operations sharing a route are told apart by
    their parameters). ``params``: the parameters as the API receives them, never the
    credentials: the path's values (``id``, ``ids``) and the query or JSON body as sent
    upstream, pinned values included (``{"phone": "avochato:c:...", "message": "Hi"}``). A
    copy: changing it changes nothing sent.
    """

    operation: str
    operations: Tuple[str, ...]
    params: Dict[str, Any]


Headers = List[Tuple[str, str]]
#: ``(status, [(name, value)], body)``
Answer = Tuple[int, Headers, bytes]
#: ``(operation, method, url, body, target, info)``: what the core decided to send, and what
#: the ``authorize`` hook is told of it.
Decided = Tuple[str, str, str, Optional[str], str, ProxyRequestInfo]
#: Decides whether a visitor may make a request the policy allows: given the ASGI ``scope``
#: or the WSGI ``environ`` and the :class:`ProxyRequestInfo` (operation, operations,
#: parameters); ``True`` to go on.
Authorize = Callable[[Mapping[str, Any], ProxyRequestInfo], Union[bool, Awaitable[bool]]]

_METHODS = "GET, POST, PUT, DELETE"
_OVERRIDE = re.compile(r"^(x-http-method-override|x-http-method|x-method-override|x-original-method|x-original-url|x-rewrite-url)$")
_TOKEN = re.compile(r"^[a-z0-9!#$%&'*+.^_`|~-]+$")
_ORIGIN = re.compile(r"^https?://[^/?#\s]+$", re.IGNORECASE)


def _error(status: int, kind: str, reason: str) -> bytes:
    return json.dumps({"status": status, "errors": [reason], "kind": kind, "source": "proxy"}).encode()


def _json(status: int, body: bytes, headers: Sequence[Tuple[str, str]] = ()) -> Answer:
    return (status, [("content-type", "application/json"), *headers], body)


class _Proxy:
    """The policy and the I/O shared by the ASGI and WSGI apps."""

    def __init__(
        self,
        *,
        allow: Iterable[str],
        auth_id: Optional[str],
        auth_secret: Optional[str],
        base_url: Optional[str],
        subdomain: Optional[str],
        pin: Optional[Mapping[str, Any]],
        prefix: Optional[str],
        allowed_origins: Iterable[str],
        authorize: Optional[Authorize],
        max_body_bytes: Optional[int],
        timeout: Optional[float],
    ) -> None:
        if isinstance(allow, str):
            raise TypeError("allow must be a list of operation names, such as ['messages.send']")
        allow = list(allow)
        if not allow:
            raise ValueError("allow must list the operations the page may call (avochato.operations() lists them)")
        if prefix is not None and prefix != "" and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError('prefix must be the mount path: "" or "/api/avochato" (a leading slash, no trailing slash)')
        origins = list(allowed_origins)
        for o in origins:
            if o != "*" and not _ORIGIN.match(o):
                raise ValueError(f"allowed_origins: {o!r} is not an origin such as 'https://www.example.com'")
        core_class = getattr(_native, "_ProxyCore")
        self.core: Any = core_class(
            allow=allow,
            auth_id=auth_id,
            auth_secret=auth_secret,
            base_url=base_url,
            subdomain=subdomain,
            timeout=timeout,
            pin=dict(pin) if pin else None,
            max_body_bytes=max_body_bytes,
        )
        self.prefix = prefix
        self.origins = origins
        self.authorize = authorize
        self.limit: int = self.core.max_body_bytes

    def log(self, level: int, line: str) -> None:
        if _log.isEnabledFor(level):
            _log.log(level, "%s", self.core.redact(line))

    def cors(self, origin: Optional[str], host: Optional[str]) -> Optional[Headers]:
        """The CORS headers for a request's Origin, or ``None`` when that origin may not call."""
        if not origin:
            return []
        if origin in self.origins:
            return [
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin"),
                ("access-control-expose-headers", "x-request-id, retry-after"),
            ]
        if host and urllib.parse.urlsplit(origin).netloc.lower() == host.lower():
            return [("vary", "Origin")]
        if "*" in self.origins:
            return [("access-control-allow-origin", "*"), ("access-control-expose-headers", "x-request-id, retry-after")]
        return None

    def before_body(self, method: str, headers: Mapping[str, str]) -> Union[Answer, Headers]:
        """The Origin check and preflights: an answer, or the CORS headers to go on with."""
        origin = headers.get("origin")
        cors = self.cors(origin, headers.get("host"))
        if cors is None:
            self.log(logging.INFO, f"refused (403) {method}: origin {origin!r} is not allowed")
            return _json(403, _error(403, "permission_denied", "this origin may not call this proxy (allowed_origins)"))
        if method == "OPTIONS":
            if not origin or not headers.get("access-control-request-method"):
                return _json(404, _error(404, "not_found", "OPTIONS is only for CORS preflights"), cors)
            asked = [h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")]
            asked = [h for h in asked if _TOKEN.match(h) and not _OVERRIDE.match(h)]
            out = [*cors, ("access-control-allow-methods", _METHODS), ("access-control-max-age", "600")]
            if asked:
                out.append(("access-control-allow-headers", ", ".join(asked)))
            return (204, out, b"")
        return cors

    def split(self, raw_path: str, prefix: str) -> Optional[str]:
        """The path below the mount point, or ``None`` when outside it."""
        if raw_path == prefix or raw_path.startswith(prefix + "/"):
            return raw_path[len(prefix):]
        return None

    def decide(
        self, method: str, path: str, query: str, body: bytes, headers: Mapping[str, str], cors: Headers
    ) -> Tuple[Optional[Answer], Optional[Decided]]:
        """A refusal to answer, or the decided request."""
        d = self.core.decide(method, path, query, body, headers.get("content-type"), list(headers.keys()))
        if d[0] != 0:
            status, text, reason = d
            self.log(logging.INFO, f"refused ({status}) {method} {path[:200]}: {reason}")
            extra = [("connection", "close")] if status == 413 else []
            return _json(status, text.encode(), [*cors, *extra]), None
        info = ProxyRequestInfo(operation=d[1], operations=tuple(d[6]), params=json.loads(d[7]))
        return None, (d[1], d[2], d[3], d[4], d[5], info)

    def not_authorised(self, operation: str, cors: Headers) -> Answer:
        self.log(logging.INFO, f"refused (403) {operation}: not authorised by the site")
        return _json(403, _error(403, "permission_denied", "not authorised by this site"), cors)

    def forward(self, decided: Decided, cors: Headers) -> Answer:
        """Sends the decided request (blocking) and returns the page's answer."""
        operation, method, url, body, target, _ = decided
        parts = urllib.parse.urlsplit(url)
        conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        timeout = self.core.timeout
        headers = {"accept": "application/json", "user-agent": self.core.user_agent, "x-avochato-client-user-agent": self.core.user_agent}
        data = None
        if body is not None:
            data = body.encode()
            headers["content-type"] = "application/json"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn = conn_class(parts.hostname or "", parts.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            res = conn.getresponse()
            raw = res.read()
            status = res.status
            pairs = [(k, v) for k, v in res.getheaders()]
        except (socket.timeout, TimeoutError):
            status, text, reason = self.core.failure(True, "")
            self.log(logging.WARNING, f"{operation}: {method} {target} failed ({status}): {reason}")
            return _json(status, text.encode(), cors)
        except (OSError, http.client.HTTPException) as e:
            status, text, reason = self.core.failure(False, f"{type(e).__name__}: {e}")
            self.log(logging.WARNING, f"{operation}: {method} {target} failed ({status}): {reason}")
            return _json(status, text.encode(), cors)
        finally:
            conn.close()
        out_status, passed, replaced = self.core.answer(status, pairs, raw.decode("utf-8", "replace"))
        request_id = next((v for k, v in pairs if k.lower() == "x-request-id"), "-")
        self.log(logging.INFO, f"{operation}: {method} {target} -> {out_status} [request id {request_id}]")
        out_body = replaced.encode() if replaced is not None else raw
        return (out_status, [*passed, *cors], out_body)


def _quote_path(path: str) -> str:
    """A decoded path (WSGI's PATH_INFO) encoded again, for servers that give no raw path."""
    raw = path.encode("latin-1", "replace").decode("utf-8", "replace")
    return urllib.parse.quote(raw, safe="/:@!$&'()*+,;=-._~")


def asgi_app(
    *,
    allow: Iterable[str],
    auth_id: Optional[str] = None,
    auth_secret: Optional[str] = None,
    base_url: Optional[str] = None,
    subdomain: Optional[str] = None,
    pin: Optional[Mapping[str, Any]] = None,
    prefix: Optional[str] = None,
    allowed_origins: Iterable[str] = (),
    authorize: Optional[Authorize] = None,
    max_body_bytes: Optional[int] = None,
    timeout: Optional[float] = None,
) -> Callable[[Any, Any, Any], Awaitable[None]]:
    """The proxy as an ASGI app (FastAPI/Starlette ``app.mount(prefix, ...)``, or served alone).

    ``allow``: the operations the page may call (``messages.send``, as ``avochato.operations()``
    names them). ``auth_id``/``auth_secret``/``base_url``/``subdomain`` default from the
    ``AVOCHATO_*`` variables. ``pin``: parameter values forced on every call (``subdomain``,
    ``from``). ``prefix``: the mount path (default: the ASGI ``root_path``).
    ``allowed_origins``: pages of other origins that may call (CORS). ``authorize(scope,
    info)``: ``True`` to let a visitor's request through (may be async); ``info`` is a
    :class:`ProxyRequestInfo` (``info.params["phone"]``: what is sent). Bodies over
    ``max_body_bytes`` (64 KiB) are refused; the API gets ``timeout`` seconds (30) to answer.
    """
    p = _Proxy(
        allow=allow, auth_id=auth_id, auth_secret=auth_secret, base_url=base_url, subdomain=subdomain, pin=pin,
        prefix=prefix, allowed_origins=allowed_origins, authorize=authorize, max_body_bytes=max_body_bytes, timeout=timeout,
    )

    async def handle(scope: Mapping[str, Any], receive: Any) -> Answer:
        method = str(scope["method"]).upper()
        headers: Dict[str, str] = {}
        for k, v in scope.get("headers", []):
            name = k.decode("latin-1").lower()
            value = v.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        early = p.before_body(method, headers)
        if isinstance(early, tuple):
            return early
        cors = early
        raw_path = scope.get("raw_path")
        full = raw_path.decode("latin-1") if raw_path else urllib.parse.quote(scope.get("path", "/"))
        full = full.split("?", 1)[0]
        prefix = p.prefix if p.prefix is not None else scope.get("root_path", "")
        path = p.split(full, prefix)
        if path is None:
            # A server that strips the mount point from the path (and no raw path with it).
            path = urllib.parse.quote(scope.get("path", "/")) if not raw_path else None
        if path is None:
            return _json(404, _error(404, "not_found", "not under this proxy's prefix"), cors)
        query = scope.get("query_string", b"").decode("latin-1")
        declared = headers.get("content-length", "0")
        body = b""
        if declared.isdigit() and int(declared) > p.limit:
            body = b" " * (p.limit + 1)
        else:
            chunks = []
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    break
                chunk = message.get("body", b"")
                chunks.append(chunk)
                size += len(chunk)
                if size > p.limit or not message.get("more_body", False):
                    break
            body = b"".join(chunks)[: p.limit + 1]
        refusal, decided = p.decide(method, path, query, body, headers, cors)
        if refusal is not None or decided is None:
            return refusal or _json(500, _error(500, "internal", "no decision"))
        if p.authorize is not None:
            verdict = p.authorize(scope, decided[5])
            if inspect.isawaitable(verdict):
                verdict = await verdict
            if verdict is not True:
                return p.not_authorised(decided[0], cors)
        return await asyncio.to_thread(p.forward, decided, cors)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        try:
            status, headers, body = await handle(scope, receive)
        except Exception as e:  # noqa: BLE001  (an answer, whatever went wrong)
            p.log(logging.ERROR, f"internal error: {type(e).__name__}: {e}")
            status, headers, body = _json(500, _error(500, "internal", "internal error in the avochato proxy"))
        await send({
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        })
        await send({"type": "http.response.body", "body": body})

    return app


_REASONS = {c.value: c.phrase for c in http.HTTPStatus}


def wsgi_app(
    *,
    allow: Iterable[str],
    auth_id: Optional[str] = None,
    auth_secret: Optional[str] = None,
    base_url: Optional[str] = None,
    subdomain: Optional[str] = None,
    pin: Optional[Mapping[str, Any]] = None,
    prefix: Optional[str] = None,
    allowed_origins: Iterable[str] = (),
    authorize: Optional[Callable[[Mapping[str, Any], ProxyRequestInfo], bool]] = None,
    max_body_bytes: Optional[int] = None,
    timeout: Optional[float] = None,
) -> Callable[[Any, Any], Iterable[bytes]]:
    """The proxy as a WSGI app (Flask, Django: mount it with ``DispatcherMiddleware``).

    The options are those of :func:`asgi_app`; ``authorize(environ, info)`` is called
    before anything is sent. ``prefix`` defaults to ``SCRIPT_NAME`` (the mount point): the path
    is then ``PATH_INFO``.
    """
    p = _Proxy(
        allow=allow, auth_id=auth_id, auth_secret=auth_secret, base_url=base_url, subdomain=subdomain, pin=pin,
        prefix=prefix, allowed_origins=allowed_origins, authorize=authorize, max_body_bytes=max_body_bytes, timeout=timeout,
    )

    def handle(environ: Mapping[str, Any]) -> Answer:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        headers = {k[5:].replace("_", "-").lower(): str(v) for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        if environ.get("CONTENT_LENGTH"):
            headers["content-length"] = environ["CONTENT_LENGTH"]
        early = p.before_body(method, headers)
        if isinstance(early, tuple):
            return early
        cors = early
        raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if p.prefix is not None:
            full = raw_uri.split("?", 1)[0] if raw_uri else _quote_path(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
            path = p.split(full, p.prefix)
        elif raw_uri and raw_uri.startswith(_quote_path(environ.get("SCRIPT_NAME", ""))):
            path = p.split(raw_uri.split("?", 1)[0], _quote_path(environ.get("SCRIPT_NAME", "")))
        else:
            path = _quote_path(environ.get("PATH_INFO", "") or "/")
        if path is None:
            return _json(404, _error(404, "not_found", "not under this proxy's prefix"), cors)
        query = str(environ.get("QUERY_STRING", ""))
        declared = headers.get("content-length", "")
        stream = environ.get("wsgi.input")
        if declared.isdigit() and int(declared) > p.limit:
            body = b" " * (p.limit + 1)
        elif declared.isdigit() and stream is not None:
            body = stream.read(int(declared))
        else:
            body = b""
        refusal, decided = p.decide(method, path, query, body, headers, cors)
        if refusal is not None or decided is None:
            return refusal or _json(500, _error(500, "internal", "no decision"))
        if p.authorize is not None and p.authorize(environ, decided[5]) is not True:
            return p.not_authorised(decided[0], cors)
        return p.forward(decided, cors)

    def app(environ: Any, start_response: Any) -> Iterable[bytes]:
        try:
            status, headers, body = handle(environ)
        except Exception as e:  # noqa: BLE001
            p.log(logging.ERROR, f"internal error: {type(e).__name__}: {e}")
            status, headers, body = _json(500, _error(500, "internal", "internal error in the avochato proxy"))
        # A WSGI app may not set hop-by-hop headers: the server closes after a 413 itself.
        headers = [(k, v) for k, v in headers if k.lower() != "connection"]
        start_response(f"{status} {_REASONS.get(status, 'Unknown')}", headers)
        return [body]

    return app
