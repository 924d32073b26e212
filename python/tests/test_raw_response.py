"""`client.<resource>.with_raw_response.<method>(...)`: the answer as it came (status,
headers, request id, attempts, body), decoded on demand with `parse()`."""

from __future__ import annotations

import json

import pytest

import avochato
from conftest import SECRET, Mock, assert_no_secret


def test_the_raw_response_of_a_call(client: avochato.Client, mock: Mock) -> None:
    raw = client.messages.with_raw_response.send(phone="+14155550100", message="raw")
    assert isinstance(raw, avochato.RawResponse)
    assert raw.status_code == 200 and raw.attempts == 1 and raw.operation == "messages.send"
    assert raw.request_id and raw.request_id.startswith("mock-")
    assert raw.headers["x-request-id"] == raw.request_id
    assert raw.headers["content-type"].startswith("application/json")
    assert json.loads(raw.content) == raw.json() and json.loads(raw.text) == raw.json()
    assert raw.json()["data"]["message"]["message"].startswith("raw")
    message = raw.parse()
    assert isinstance(message, avochato.Message) and message.message.startswith("raw")
    assert raw.parse() is message, "decoded once"
    assert message == client.messages.get(id=message.event_id)
    assert len(mock.requests("POST", "/v1/messages")) == 1
    assert repr(raw).startswith("RawResponse(messages.send, status_code=200, request_id='mock-")
    assert_no_secret(raw, raw.headers, raw.text)
    page = client.contacts.with_raw_response.list(limit=1).parse()
    assert isinstance(page, avochato.Page)
    assert avochato.RawResponse[avochato.Message] is avochato.RawResponse


async def test_the_async_raw_response(aclient: avochato.AsyncClient, mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/whoami", kind="status", status=429, retry_after="0.1", count=1)
    raw = await aclient.accounts.with_raw_response.whoami()
    assert raw.attempts == 2 and raw.status_code == 200
    assert raw.parse().account.subdomain == "test-account"


def test_failures_are_raised_as_for_any_call(client: avochato.Client, mock: Mock) -> None:
    with pytest.raises(avochato.NotFoundError) as e:
        client.messages.with_raw_response.get(id="nope")
    assert e.value.status == 404 and e.value.request_id
    with pytest.raises(avochato.ValidationError):
        client.messages.with_raw_response.send(phone="+14155550100")
    mock.fault(method="GET", path="/v1/messages/m1", kind="malformed")
    raw = client.messages.with_raw_response.get(id="m1")  # an answer: decoded only on parse()
    assert raw.status_code == 200 and raw.content
    with pytest.raises(avochato.DecodeError) as d:
        raw.parse()
    assert d.value.status == 200 and d.value.request_id == raw.request_id
    assert SECRET not in str(d.value)
