"""Every operation end to end, in the blocking and the asyncio client."""

from __future__ import annotations

import inspect
import time
from typing import Any, Callable

import pytest

import avochato
from conftest import Mock


async def maybe(value: Any) -> Any:
    """The value, awaited if it is awaitable (the scenario runs on both clients)."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterable: Any) -> list[Any]:
    if hasattr(iterable, "__aiter__"):
        return [x async for x in iterable]
    return list(iterable)


class Tracked:
    """Records which `resource.method` a client's calls go to."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.seen: set[str] = set()

    def __getattr__(self, resource: str) -> Any:
        target = getattr(self._client, resource)
        seen = self.seen

        class Resource:
            def __getattr__(self, name: str) -> Callable[..., Any]:
                method = getattr(target, name)

                def call(*args: Any, **kwargs: Any) -> Any:
                    seen.add(f"{resource}.{name}")
                    return method(*args, **kwargs)

                return call

        return Resource()


async def scenario(raw: Any, mock: Mock) -> set[str]:
    c = Tracked(raw)
    now = time.time()

    assert sorted(a.subdomain for a in (await maybe(c.accounts.list())).items) == ["second-inbox", "test-account"]
    assert len((await maybe(c.accounts.fetch(ids=["second-inbox", "nope"], page=1))).items) == 1
    me = await maybe(c.accounts.whoami())
    assert me.account.subdomain == "test-account"
    assert isinstance(me.created_at, float)
    assert (await maybe(c.accounts.whoami(subdomain="second-inbox"))).account.subdomain == "second-inbox"
    assert (await maybe(raw.with_subdomain("second-inbox").verify())).account.subdomain == "second-inbox"

    bob = await maybe(c.contacts.upsert(phone="(415) 555-3333", name="Bob", tags=["red"], favorite_color="blue"))
    assert bob.phone == "+14155553333"
    assert bob.custom_fields == {"favorite_color": "blue"}
    many = await maybe(c.contacts.upsert_many(contacts=[{"phone": "+14155550001", "name": "Alice"}, {"phone": "+14155550002", "name": "Carol"}]))
    assert [x.name for x in many] == ["Carol"]
    assert len((await maybe(c.contacts.fetch(ids=[bob.id, "missing"]))).items) == 1
    first = await maybe(c.contacts.list(limit=2))
    assert len(first) == 2
    rest = await maybe(c.contacts.paginate(after_page=first.next_page, limit=2))
    assert len(rest) == 1 and rest.next_page is None
    assert len(await maybe(c.contacts.search(query="name:Alice OR name:Bob"))) == 2
    assert (await maybe(c.contacts.remove_all(query="name:Carol"))).query == "name:Carol"

    await maybe(c.tags.add_by_phone(phone="+14155550001", tag="vip"))
    await maybe(c.tags.add_to_contacts(ids=[bob.id], tag="newsletter"))
    tags = await maybe(c.tags.list())
    assert [t.name for t in tags] == ["newsletter", "red", "vip"] and tags.last_key == "vip"
    await maybe(c.tags.remove_from_contacts(ids=bob.id, tag="newsletter"))
    await maybe(c.tags.remove_by_phone(phone="+14155550001", tag="vip"))

    sent = await maybe(c.messages.send(phone="+14155557777", message="Hello from Python", mark_addressed=True, from_="+15105551234"))
    assert sent.direction == "out" and sent.from_ == "+15105551234"
    assert (await maybe(c.messages.get(id=sent.event_id))) == sent
    later = now + 7200
    s1 = await maybe(c.messages.schedule(phone="+14155557777", message="Reminder", scheduled_for=later))
    from datetime import datetime, timezone

    s2 = await maybe(c.messages.schedule(phone="+14155557777", message="Later", scheduled_for=datetime.fromtimestamp(later + 60, tz=timezone.utc)))
    assert len(await maybe(c.messages.search_scheduled())) == 2
    assert (await maybe(c.messages.cancel(id=s2.event_id))).aborted is True
    assert [m.event_id for m in await maybe(c.messages.search_scheduled_uncancelled())] == [s1.event_id]
    assert len(await maybe(c.messages.search_scheduled_by_date(scheduled_for={"from": later - 1, "to": later + 1}))) == 1
    chat = await maybe(c.messages.send_live_chat(phone="avochato:c:XXXX-YYYY-ZZZZ", message="Hi chat"))
    assert chat.carrier == "avochato"
    assert len(await maybe(c.messages.list())) == 2
    assert len(await maybe(c.messages.search(query="Python", direction="out"))) == 1
    assert len(await maybe(c.messages.search_by_timestamp(created_at={"from": now - 60, "to": now + 600}))) == 2

    ticket = sent.ticket_id
    assert (await maybe(c.tickets.list())).total_count >= 2
    assert len(await maybe(c.tickets.fetch(ids=[ticket, "nope"]))) == 1
    assert (await maybe(c.tickets.update_status(ids=[ticket], status="Pending")))[0].status == "Pending"
    users = (await maybe(c.users.list())).items
    teammate = next(u for u in users if u.email == "teammate@example.com")
    assert (await maybe(c.tickets.assign(ids=[ticket], user_id=teammate.id)))[0].user_id == teammate.id
    assert (await maybe(c.tickets.assign_by_email(ids=[ticket], user_email="alice@example.com")))[0].user_id != teammate.id
    assert (await maybe(c.tickets.unassign(ids=[ticket])))[0].user_id is None
    assert (await maybe(c.tickets.autoassign(ids=[ticket])))[0].user_id
    assert (await maybe(c.tickets.set_unaddressed(ids=[ticket], unaddressed=True)))[0].unaddressed is True
    assert (await maybe(c.tickets.close(ids=[ticket])))[0].status == "Closed"
    assert len(await maybe(c.tickets.search(query="status:Closed"))) == 1
    again = await maybe(c.messages.send(phone="+14155557777", message="Back"))
    assert [t.id for t in await maybe(c.tickets.previous(id=again.ticket_id))] == [ticket]

    e1 = await maybe(c.events.add_to_contact(id=bob.id, type="sale", revenue=99.99))
    assert e1.type == "sale" and e1.revenue == 99.99
    await maybe(c.events.add_by_phone(phone="+14155553333", type="click"))
    await maybe(c.events.add_to_ticket(id=e1.ticket_id, type="visit"))
    stream = await maybe(c.events.fetch(ids=[ticket, e1.ticket_id]))
    kinds = {type(e).__name__ for e in stream}
    assert {"CustomEvent", "StatusChange", "OwnerChange", "Message", "ScheduledMessage"} <= kinds, kinds

    draft = await maybe(c.broadcasts.create(message="Sale!", name="Promo", via_tags="red", via_phone_numbers=["5105550009"]))
    assert draft.status == "draft"
    await maybe(c.broadcasts.update(id=draft.id, name="Promo 2", via_field={"field": "name", "value": "Alice"}))
    assert (await maybe(c.broadcasts.audience_count(id=draft.id))).count == 3
    assert (await maybe(c.broadcasts.publish(id=draft.id, asap=True))).status == "completed"
    assert (await maybe(c.broadcasts.fetch(ids=draft.id)))[0].delivered == 3
    assert len(await maybe(c.broadcasts.list())) == 1

    assert [x.key for x in await maybe(c.campaigns.list())] == ["one", "two"]
    assert len(await maybe(c.campaigns.fetch(ids="one"))) == 1
    phones = ["+15555550101", "+15555550102", "+15555550103", "+15555550104"]
    mock.control("POST", "/__mock/campaigns/enroll", {"key": "one", "phones": phones})
    mock.control("POST", "/__mock/campaigns/enroll", {"key": "two", "phones": phones})

    async def pending() -> int:
        return len(await maybe(raw.messages.search_scheduled_uncancelled()))

    before = await pending()
    await maybe(c.campaigns.remove_contact(id="one", phone=phones[0]))
    await maybe(c.campaigns.remove_contact_recursively(id="one", phone=phones[1]))
    await maybe(c.campaigns.remove_contacts(id="two", contacts=phones[2:]))
    await maybe(c.campaigns.remove_all_contacts(id="one"))
    assert await pending() == before - 7

    added = await maybe(c.users.add(email="new@example.com", role="member", name="New"))
    assert (await maybe(c.users.get(email="new@example.com"))).id == added.id
    assert len(await maybe(c.users.accounts(id=added.id))) == 1
    assert (await maybe(c.users.update_role(id=added.id, role="manager"))).role == "manager"
    assert (await maybe(c.users.disable(id=added.id))).enabled is False
    assert (await maybe(c.users.enable(id=added.id))).enabled is True
    assert (await maybe(c.users.set_mfa_phone(id=added.id, phone="+14155559876"))).user.id == added.id
    assert "new@example.com" in (await maybe(c.users.reset_password(id=added.id))).message
    assert "removed" in (await maybe(c.users.delete(id=added.id))).message

    assert (await maybe(c.calls.create_token())).twilio_token is None
    contacts = await collect(raw.contacts.iter())
    assert len(contacts) >= 3
    return c.seen


ALL = {f"{o['resource']}.{o['method']}" for o in avochato.operations()}


async def test_every_operation_blocking(client: avochato.Client, mock: Mock) -> None:
    seen = await scenario(client, mock)
    assert ALL - seen == set()


async def test_every_operation_async(aclient: avochato.AsyncClient, mock: Mock) -> None:
    async with aclient:
        seen = await scenario(aclient, mock)
    assert ALL - seen == set()


def test_the_blocking_client_works_outside_any_event_loop(client: avochato.Client) -> None:
    assert client.verify().account.subdomain == "test-account"
    with pytest.raises(avochato.AvochatoError, match="closed"):
        client.close()
        client.verify()
