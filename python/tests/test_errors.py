"""Exceptions per kind, retries, validation before sending, and no secret anywhere."""

from __future__ import annotations

import builtins
import time
from typing import Any, Callable, Type

import pytest

import avochato
from conftest import SECRET, Mock, assert_no_secret


def raises(cls: Type[avochato.AvochatoError], call: Callable[[], Any]) -> avochato.AvochatoError:
    with pytest.raises(cls) as info:
        call()
    e = info.value
    assert isinstance(e, avochato.AvochatoError)
    assert_no_secret(e, e.errors, e.body, e.args)
    return e


def test_each_kind_of_failure_has_its_class(client: avochato.Client, mock: Mock) -> None:
    c = avochato.Client(**mock.options(timeout=0.4, max_retry_wait=0.1))
    wrong = avochato.Client(**mock.options(auth_secret="wrong-secret-value"))
    e = raises(avochato.AuthenticationError, wrong.verify)
    assert (e.status, e.errors, e.kind) == (401, ["Unauthorized"], "authentication")
    assert e.request_id and e.request_id.startswith("mock-")
    e = raises(avochato.PermissionDeniedError, lambda: c.accounts.list(subdomain="other-team"))
    assert e.status == 403
    raises(avochato.NotFoundError, lambda: c.messages.get(id="nope"))
    c.contacts.upsert(phone="+16505551234", opted_out=True)
    e = raises(avochato.InvalidRequestError, lambda: c.messages.send(phone="+16505551234", message="hi"))
    assert e.errors == ["+16505551234 is already opted out"]
    mock.fault(method="GET", path="/v1/tags", kind="status", status=429, retry_after="30")
    e = raises(avochato.RateLimitError, lambda: c.tags.list())
    assert e.retry_after == 30.0
    mock.fault(method="POST", path="/v1/calls", kind="status", status=500, errors=f"boom {SECRET}")
    e = raises(avochato.ServerError, lambda: c.calls.create_token())
    assert "[REDACTED]" in str(e)
    mock.fault(method="POST", path="/v1/events", kind="delay", delay_ms=1500)
    e = raises(avochato.TimeoutError, lambda: c.events.add_by_phone(phone="+14155550100", type="x"))
    assert isinstance(e, builtins.TimeoutError), "also the builtin TimeoutError"
    mock.fault(method="DELETE", path="/v1/tags", kind="reset")
    e = raises(avochato.ConnectionError, lambda: c.tags.remove_by_phone(phone="+14155550100", tag="x"))
    assert isinstance(e, builtins.ConnectionError)
    mock.fault(method="GET", path="/v1/messages/m1", kind="malformed")
    e = raises(avochato.DecodeError, lambda: c.messages.get(id="m1"))
    assert e.status == 200 and e.body
    e = raises(avochato.ValidationError, lambda: c.messages.send(phone="+14155550100", message=""))
    assert e.param == "message" and isinstance(e, ValueError)


async def test_async_errors_are_the_same_classes(aclient: avochato.AsyncClient, mock: Mock) -> None:
    with pytest.raises(avochato.NotFoundError):
        await aclient.messages.get(id="nope")
    with pytest.raises(avochato.ValidationError):
        await aclient.messages.send(phone="+1", message="")
    mock.fault(method="POST", path="/v1/messages", kind="status", status=502)
    with pytest.raises(avochato.ServerError) as info:
        await aclient.messages.send(phone="+14155550100", message="x")
    assert info.value.status == 502


def test_retries_resend_a_429_but_never_a_post_that_failed(client: avochato.Client, mock: Mock) -> None:
    mock.fault(method="POST", path="/v1/messages", kind="status", status=429, retry_after="0.1")
    client.messages.send(phone="+14155550100", message="once")
    assert len(mock.requests("POST", "/v1/messages")) == 2
    mock.fault(method="POST", path="/v1/messages", kind="status", status=500, effect=True)
    raises(avochato.ServerError, lambda: client.messages.send(phone="+14155550100", message="twice?"))
    assert len(mock.requests("POST", "/v1/messages")) == 3
    assert len(client.messages.list()) == 2, "one message per send"
    mock.fault(method="GET", path="/v1/whoami", kind="status", status=503, count=2)
    assert client.verify().account.subdomain == "test-account"
    assert len(mock.requests("GET", "/v1/whoami")) == 3


def test_bad_input_is_refused_before_anything_is_sent(client: avochato.Client, mock: Mock) -> None:
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: client.messages.send(phone="+14155550100", message="x" * 1601), "message"),
        (lambda: client.messages.send(phone="+14155550100"), "message"),
        (lambda: client.messages.send(phone="+14155550100", message="hi", from_="510-555-1234"), "from"),
        (lambda: client.messages.send(phone="+14155550100", message="hi", bogus=1), "bogus"),
        (lambda: client.contacts.upsert(phone="+14155550100", priority=9), "priority"),
        (lambda: client.contacts.fetch(ids=[]), "ids"),
        (lambda: client.contacts.fetch(ids=["a/b"]), "ids"),
        (lambda: client.tickets.update_status(ids=["t1"], status="Done"), "status"),
        (lambda: client.users.add(email="a@b.co", role="admin"), "role"),
        (lambda: client.messages.search(direction="sideways"), "direction"),
        (lambda: client.users.get(), "id"),
        (lambda: client.messages.send(phone="+14155550100", message=object()), "message"),
        (lambda: client.messages.send(phone="+14155550100", message="x", timeout=-1), "timeout"),
        (lambda: client.accounts.list(subdomain="no good!"), "subdomain"),
        (lambda: client.messages.search(created_at={"from": "yesterday"}), "created_at.from"),
    ]
    for call, param in cases:
        e = raises(avochato.ValidationError, call)
        assert e.param == param, (param, str(e))
    assert mock.requests() == [], "nothing reached the server"
    with pytest.raises(avochato.ValidationError, match="auth_secret"):
        avochato.Client(auth_id="x", base_url=mock.url)
    with pytest.raises(avochato.ValidationError, match="http") as info:
        avochato.Client(auth_id="x", auth_secret="y", base_url="http://example.com")
    assert info.value.param == "base_url"


def test_no_secret_in_reprs(client: avochato.Client, mock: Mock) -> None:
    aclient = avochato.AsyncClient(**mock.options())
    assert_no_secret(client, aclient, client.with_subdomain("second-inbox"), client.messages, client.verify())
    assert "[REDACTED]" in repr(client)


def test_options_default_from_the_environment(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVOCHATO_AUTH_ID", mock.auth_id)
    monkeypatch.setenv("AVOCHATO_AUTH_SECRET", SECRET)
    monkeypatch.setenv("AVOCHATO_BASE_URL", mock.url)
    monkeypatch.setenv("AVOCHATO_SUBDOMAIN", "second-inbox")
    assert avochato.Client().verify().account.subdomain == "second-inbox"
    assert avochato.Client(subdomain="test-account").verify().account.subdomain == "test-account"


def test_per_call_timeout(client: avochato.Client, mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/users", kind="delay", delay_ms=1000, count=3)
    started = time.monotonic()
    raises(avochato.TimeoutError, lambda: client.users.list(timeout=0.2, max_retries=0))
    assert time.monotonic() - started < 0.9


def test_client_options_are_checked(mock: Mock) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'auth_secrets'"):
        avochato.AsyncClient(auth_secrets="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        avochato.Client(timeout="soon")  # type: ignore[arg-type]
    with pytest.raises(avochato.ValidationError, match="timeout"):
        avochato.Client(**mock.options(timeout=-1))
    with pytest.raises(avochato.ValidationError, match="headers"):
        avochato.Client(**mock.options(headers={"x-a": 1}))
    c = avochato.Client(**mock.options(timeout=5, max_retries=0, max_retry_wait=1.5, headers={"x-app": "py"}, subdomain=None))
    c.verify()
    assert mock.requests(path="/v1/whoami")[-1]["headers"].get("x-app") == "py"
