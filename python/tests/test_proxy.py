"""avochato.proxy against the mock: the ASGI app under a real ASGI server (uvicorn, bare and
mounted in Starlette) and the WSGI app under wsgiref. Every refusal checks the mock's
recorder: 0 requests reached the API. Every answer, header and log line is searched for the
secret."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from typing import Any, Callable, Iterator, Optional
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

import avochato
import avochato.proxy

from conftest import AUTH_ID, SECRET, Mock, assert_no_secret

PHONE = "+14155550191"
ALLOW = ["messages.send", "messages.get", "messages.search", "contacts.upsert", "tickets.update_status"]
SEEN: list[str] = []


def options(mock: Mock, **more: Any) -> dict[str, Any]:
    return {
        "auth_id": AUTH_ID,
        "auth_secret": SECRET,
        "base_url": mock.url,
        "allow": ALLOW,
        "pin": {"subdomain": "test-account"},
        "allowed_origins": ["https://shop.example.com"],
        "max_body_bytes": 4096,
        **more,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Uvicorn:
    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return f"127.0.0.1:{self.port}"
            time.sleep(0.02)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Quiet(WSGIRequestHandler):
    def log_message(self, *_args: Any) -> None:
        pass


class Wsgiref:
    def __init__(self, app: Any) -> None:
        self.httpd = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"127.0.0.1:{self.httpd.server_port}"

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def call(host: str, method: str, path: str, body: Any = None, headers: Optional[dict[str, str]] = None, raw: Optional[bytes] = None) -> tuple[int, dict[str, str], Any]:
    """A request with the path exactly as given."""
    h = {"content-type": "application/json", **(headers or {})}
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    conn = http.client.HTTPConnection(host, timeout=30)
    try:
        conn.request(method, path, body=data, headers=h)
        res = conn.getresponse()
        text = res.read().decode()
        out_headers = {k.lower(): v for k, v in res.getheaders()}
    finally:
        conn.close()
    SEEN.extend([text, json.dumps(out_headers)])
    assert SECRET not in text and SECRET not in json.dumps(out_headers)
    return res.status, out_headers, json.loads(text) if text else None


def refused(mock: Mock, answer: tuple[int, dict[str, str], Any], status: int, pattern: str = "") -> None:
    got, _, body = answer
    assert got == status, body
    assert body["status"] == status and body["source"] == "proxy"
    assert len(body["errors"]) == 1 and pattern in body["errors"][0], body
    assert mock.requests() == [], "no request reached the API"


@pytest.fixture()
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO, logger="avochato.proxy")
    yield caplog
    assert_no_secret(caplog.text)


Served = Callable[..., Any]


def servers(mock: Mock, **more: Any) -> list[tuple[str, Any]]:
    """The same policy as each kind of app: (name, context manager giving host and prefix)."""
    opts = options(mock, **more)
    starlette = Starlette(routes=[Mount("/api", app=avochato.proxy.asgi_app(**opts))])
    return [
        ("asgi", lambda: (Uvicorn(avochato.proxy.asgi_app(**opts, prefix="/api")), "/api")),
        ("starlette", lambda: (Uvicorn(starlette), "/api")),
        ("wsgi", lambda: (Wsgiref(avochato.proxy.wsgi_app(**opts, prefix="/api")), "/api")),
    ]


@pytest.mark.parametrize("kind", ["asgi", "starlette", "wsgi"])
def test_the_proxy_forwards_what_is_allowed_and_refuses_the_rest(mock: Mock, logs: Any, kind: str) -> None:
    asked: list[str] = []

    def authorize(request: Any, info: avochato.proxy.ProxyRequestInfo) -> bool:
        asked.append(info.operation)
        headers = dict(request.get("headers", [])) if "headers" in request else {}
        blocked = headers.get(b"x-visitor") == b"blocked" or request.get("HTTP_X_VISITOR") == "blocked"
        return not blocked

    make = dict(servers(mock, authorize=authorize))[kind]
    server, prefix = make()
    with server as host:
        # Allowed: forwarded with the credentials and the pinned inbox.
        status, headers, body = call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": f"via {kind}"})
        assert status == 200, body
        assert body["data"]["message"]["to"] == PHONE
        assert headers["x-request-id"].startswith("mock-")
        [sent] = mock.requests("POST", "/v1/messages")
        assert sent["body"]["auth_id"] == AUTH_ID and sent["body"]["subdomain"] == "test-account"

        # The Python SDK in proxy mode, through it.
        with avochato.Client(base_url=f"http://{host}{prefix}", max_retries=0) as c:
            contact = c.contacts.upsert(phone=PHONE, name="Proxy Visitor")
            assert contact.phone == PHONE
            assert len(c.messages.search(query=kind).items) == 1
            mock.control("POST", "/__mock/reset")
            with pytest.raises(avochato.PermissionDeniedError) as e:
                c.users.delete(id="u-1")
            assert e.value.status == 403 and "`users.delete` is not allowed" in str(e.value)
            assert_no_secret(e.value)
            with pytest.raises(avochato.NotFoundError) as nf:
                c.messages.get(id="nope")
            assert (nf.value.request_id or "").startswith("mock-"), "upstream errors pass through with their request id"
        mock.control("POST", "/__mock/reset")

        # Refusals: nothing reaches the API.
        refused(mock, call(host, "DELETE", f"{prefix}/v1/users/u-1", {}), 403, "`users.delete` is not allowed")
        refused(mock, call(host, "DELETE", f"{prefix}/v1/contacts/remove_all", {"query": None}), 403, "contacts.remove_all")
        refused(mock, call(host, "POST", f"{prefix}/v1/users/u-1/mfa_phone", {"phone": "+14155550100"}), 403, "users.set_mfa_phone")
        refused(mock, call(host, "PUT", f"{prefix}/v1/tickets/t-1", {"status": "Closed"}), 403, "`tickets.close` (not allowed")
        refused(mock, call(host, "GET", f"{prefix}/v1/nothing"), 404)
        refused(mock, call(host, "GET", f"{prefix}/v1/messages?query=x&auth_secret=guess"), 400, "credentials")
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x", "auth_id": "AC_x"}), 400, "credentials")
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x"}, {"X-HTTP-Method-Override": "DELETE"}), 400, "x-http-method-override")
        refused(mock, call(host, "POST", f"{prefix}/v1/contacts", {"phone": PHONE, "notes": "x" * 5000}), 413)
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x", "subdomain": "other"}), 403, "`subdomain` is set by this proxy")
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", raw=b"{"), 400, "not valid JSON")
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x"}, {"origin": "https://evil.example.com"}), 403, "origin")
        # Path tricks: refused as malformed where the server hands the raw path on; where it
        # decodes the path first (wsgiref), what is left is no operation, or not allowed.
        for path in ["/v1/messages/..%2Fusers", "/v1//messages", "/v1/users/u-1/../../contacts/remove_all", "/v1/messages/%2e%2e"]:
            status, _, body = call(host, "GET", prefix + path)
            assert status in (400, 403, 404), (path, status, body)
            if kind != "wsgi":
                assert status == 400 and "malformed path" in body["errors"][0], (path, body)
        assert mock.requests() == []

        # The site's hook, before anything is sent.
        asked.clear()
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x"}, {"x-visitor": "blocked"}), 403, "not authorised")
        assert asked == ["messages.send"]

        # CORS for an allowed origin.
        status, headers, _ = call(host, "OPTIONS", f"{prefix}/v1/messages", headers={
            "origin": "https://shop.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type, x-widget"})
        assert status == 204 and headers["access-control-allow-origin"] == "https://shop.example.com"
        status, headers, _ = call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "shop"}, {"origin": "https://shop.example.com"})
        assert status == 200 and headers["access-control-allow-origin"] == "https://shop.example.com"

        # Upstream errors pass through: status, errors, request id, Retry-After.
        mock.fault(method="POST", path="/v1/messages", kind="status", status=429, retry_after="7", errors=["Rate limit exceeded"])
        status, headers, body = call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x"})
        assert (status, headers.get("retry-after"), body["errors"]) == (429, "7", ["Rate limit exceeded"])
        assert headers["x-request-id"].startswith("mock-")
        mock.fault(method="POST", path="/v1/messages", kind="status", status=400, errors=[f"echo {SECRET}"])
        status, _, body = call(host, "POST", f"{prefix}/v1/messages", {"phone": PHONE, "message": "x"})
        assert status == 400 and "[REDACTED]" in body["errors"][0]
    assert "refused (403)" in logs.text and "messages.send: POST /v1/messages -> 200" in logs.text


@pytest.mark.parametrize("kind", ["asgi", "starlette", "wsgi"])
def test_a_live_chat_widget_hook_reads_the_parameters_never_the_credentials(mock: Mock, logs: Any, kind: str) -> None:
    # A live-chat message is also a messages.send (a shared route): the policy allows both, and
    # the hook lets through only live-chat identifiers, not any phone number.
    told: list[avochato.proxy.ProxyRequestInfo] = []
    hook_saw: list[str] = []

    def authorize(request: Any, info: avochato.proxy.ProxyRequestInfo) -> bool:
        told.append(info)
        hook_saw.append(repr(request) + repr(info))
        phone = info.params.get("phone")
        return isinstance(phone, str) and phone.startswith("avochato:")

    make = dict(servers(mock, allow=["messages.send_live_chat", "messages.send"], authorize=authorize))[kind]
    server, prefix = make()
    with server as host:
        status, _, body = call(host, "POST", f"{prefix}/v1/messages", {"phone": "avochato:c:abc-def", "message": f"live chat via {kind}"})
        assert status == 200, body
        [sent] = mock.requests()
        assert sent["body"]["auth_id"] == AUTH_ID, "the credential is added upstream"
        assert told == [avochato.proxy.ProxyRequestInfo(
            operation="messages.send_live_chat",
            operations=("messages.send_live_chat", "messages.send"),
            params={"phone": "avochato:c:abc-def", "message": f"live chat via {kind}", "subdomain": "test-account"},
        )]

        mock.control("POST", "/__mock/reset")
        told.clear()
        refused(mock, call(host, "POST", f"{prefix}/v1/messages", {"phone": "+14155550100", "message": "any number"}), 403, "not authorised")
        assert [(t.operation, t.operations, t.params["phone"]) for t in told] == [("messages.send", ("messages.send",), "+14155550100")]
    assert len(hook_saw) == 2
    for saw in hook_saw:
        assert SECRET not in saw and AUTH_ID not in saw and "auth_" not in saw, saw
    for info in told:
        assert not any(k.startswith("auth_") for k in info.params)


def test_no_answer_from_the_api_is_a_502(mock: Mock, logs: Any) -> None:
    app = avochato.proxy.wsgi_app(**options(mock, base_url=f"http://127.0.0.1:{free_port()}"))
    with Wsgiref(app) as host:
        status, _, body = call(host, "GET", "/v1/messages/m-1")
    assert status == 502 and body["kind"] == "connection"


def test_options_are_checked_when_the_app_is_made(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AVOCHATO_AUTH_ID", "AVOCHATO_AUTH_SECRET"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(avochato.ValidationError, match="did you mean `messages.send`"):
        avochato.proxy.asgi_app(**options(mock, allow=["messages.sned"]))
    with pytest.raises(avochato.ValidationError, match="pin.from"):
        avochato.proxy.asgi_app(**options(mock, allow=["users.delete"], pin={"from": "+14155550100"}))
    with pytest.raises(avochato.ValidationError, match="credential"):
        avochato.proxy.wsgi_app(**options(mock, auth_id=None, auth_secret=None))
    with pytest.raises(ValueError, match="allow"):
        avochato.proxy.wsgi_app(**options(mock, allow=[]))
    with pytest.raises(TypeError):
        avochato.proxy.wsgi_app(**options(mock, allow="messages.send"))
    monkeypatch.setenv("AVOCHATO_AUTH_ID", AUTH_ID)
    monkeypatch.setenv("AVOCHATO_AUTH_SECRET", SECRET)
    app = avochato.proxy.wsgi_app(allow=["messages.get"], base_url=mock.url)
    assert_no_secret(app, repr(app))
