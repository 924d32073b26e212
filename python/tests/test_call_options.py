"""Per-call options are uniform: every method of both clients (`verify`, `iter` and
`with_raw_response` included) takes `timeout`, `max_retries`, `subdomain` and
`extra_headers`, and each does what it says."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

import pytest

import avochato
from conftest import Mock
from reference import Documented, documented

DOCUMENTED = list(documented())
ITERABLE = ["accounts", "broadcasts", "contacts", "events", "messages", "tags", "tickets", "users"]
OPTIONS: dict[str, Any] = {"timeout": 5, "max_retries": 0, "subdomain": "test-account", "extra_headers": {"x-per-call": "yes"}}


def sent_headers(mock: Mock) -> dict[str, str]:
    return dict(mock.requests()[-1]["headers"])


def every_call(c: Any) -> list[tuple[str, Callable[..., Any]]]:
    calls: list[tuple[str, Callable[..., Any]]] = [("verify", c.verify)]
    for d in DOCUMENTED:
        resource = getattr(c, d.resource)
        for handle, label in ((resource, ""), (resource.with_raw_response, "with_raw_response.")):
            method = getattr(handle, d.method)
            calls.append((f"{d.resource}.{label}{d.method}", lambda m=method, d=d, **o: m(**d.kwargs, **o)))
    for res in ITERABLE:
        # events.iter walks events.fetch, which needs ticket ids.
        given = next(d.kwargs for d in DOCUMENTED if (d.resource, d.method) == ("events", "fetch")) if res == "events" else {}
        calls.append((f"{res}.iter", lambda r=getattr(c, res), g=given, **o: r.iter(**g, **o)))
    return calls


async def anext_or_none(it: Any) -> Any:
    async for item in it:
        return item
    return None


async def run(value: Any) -> Any:
    if hasattr(value, "__anext__"):
        return await anext_or_none(value)
    if hasattr(value, "__next__"):
        return next(value, None)
    return await value if asyncio.iscoroutine(value) else value


@pytest.mark.parametrize("asynchronous", [False, True], ids=["Client", "AsyncClient"])
async def test_every_method_takes_the_four_per_call_options(mock: Mock, asynchronous: bool) -> None:
    client = (avochato.AsyncClient if asynchronous else avochato.Client)(**mock.options(headers={"x-per-call": "client", "x-app": "py"}))
    calls = every_call(client)
    assert len(calls) == 1 + 64 * 2 + 8
    for name, call in calls:
        before = len(mock.requests())
        try:
            await run(call(**OPTIONS))
        except (avochato.NotFoundError, avochato.InvalidRequestError):
            pass  # the example's ids are not in the mock's data: the request went out all the same
        assert len(mock.requests()) > before, name
        headers = sent_headers(mock)
        assert headers.get("x-per-call") == "yes" and headers.get("x-app") == "py", (name, headers)


def test_verify_takes_a_timeout_as_the_readme_says(client: avochato.Client, mock: Mock) -> None:
    assert client.verify(timeout=5).account.subdomain == "test-account"
    assert client.verify(subdomain="second-inbox").account.subdomain == "second-inbox"
    mock.fault(method="GET", path="/v1/whoami", kind="delay", delay_ms=1000)
    started = time.monotonic()
    with pytest.raises(avochato.TimeoutError):
        client.verify(timeout=0.2, max_retries=0)
    assert time.monotonic() - started < 0.9


async def test_max_retries_per_call(aclient: avochato.AsyncClient, mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/whoami", kind="status", status=503, count=1)
    with pytest.raises(avochato.ServerError):
        await aclient.verify(max_retries=0)
    assert len(mock.requests("GET", "/v1/whoami")) == 1
    mock.fault(method="GET", path="/v1/whoami", kind="status", status=503, count=1)
    assert (await aclient.verify(max_retries=1)).account.subdomain == "test-account"


def test_extra_headers_are_checked_before_anything_is_sent(client: avochato.Client, mock: Mock) -> None:
    for bad in ({"bad name": "x"}, {"x-a": "line\nbreak"}, {"x-a": 1}, ["x-a", "b"], "x-a: b"):
        with pytest.raises(avochato.ValidationError) as e:
            client.messages.list(extra_headers=bad)
        assert e.value.param == "extra_headers", bad
    assert mock.requests() == []
    client.messages.list(extra_headers={"X-Mixed-Case": "kept"})
    assert sent_headers(mock).get("x-mixed-case") == "kept"
    client.messages.list(extra_headers=None)
    assert "x-mixed-case" not in sent_headers(mock), "extra headers are for one call"
