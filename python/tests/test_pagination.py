"""Every page, blocking and async."""

from __future__ import annotations

import avochato
from conftest import Mock


def seed(client: avochato.Client) -> None:
    for start in range(0, 75, 25):
        client.contacts.upsert_many(contacts=[{"phone": f"+1415555{i:04d}"} for i in range(start, start + 25)])


def test_blocking_iteration_follows_the_cursor_to_the_end(client: avochato.Client, mock: Mock) -> None:
    seed(client)
    before = len(mock.requests("GET", "/v1/contacts"))
    ids = {c.id for c in client.contacts.iter(limit=20)}
    assert len(ids) == 75
    assert len(mock.requests("GET", "/v1/contacts")) - before == 4
    for i in range(35):
        client.messages.send(phone=f"+1415556{i:04d}", message="hi")
    assert sum(1 for _ in client.tickets.iter()) == 35
    for i in range(40):
        client.tags.add_by_phone(phone="+14155550000", tag=f"tag-{i:03d}")
    names = [t.name for t in client.tags.iter()]
    assert names == sorted(names) and len(names) == 40


async def test_async_iteration(client: avochato.Client, aclient: avochato.AsyncClient) -> None:
    seed(client)
    ids = [c.id async for c in aclient.contacts.iter(limit=30)]
    assert len(set(ids)) == 75


def test_errors_end_the_iteration(client: avochato.Client, mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/users", kind="status", status=400)
    it = client.users.iter()
    try:
        next(it)
    except avochato.InvalidRequestError as e:
        assert e.status == 400
    else:
        raise AssertionError("expected an error")
