"""Every resource of the API, typed: ``mypy --strict examples/every_resource.py`` passes.

Runs against avochato-mock (``scripts/with-mock.sh -- python examples/every_resource.py``);
the tests type-check it and run it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import avochato
from avochato import (
    Account,
    AudienceCount,
    Broadcast,
    CallToken,
    Campaign,
    CampaignCancellation,
    Contact,
    CustomEvent,
    Event,
    Message,
    Page,
    PreviousTicket,
    RawResponse,
    ScheduledMessage,
    Tag,
    TagAction,
    Ticket,
    TimeRange,
    User,
    UserDetails,
    UserNotice,
    Whoami,
)


def blocking(client: avochato.Client) -> None:
    me: Whoami = client.accounts.whoami()
    inboxes: Page[Account] = client.accounts.list()
    print(f"accounts: {me.account.subdomain} of {[a.subdomain for a in inboxes]}")

    ada: Contact = client.contacts.upsert(phone="(415) 555-0130", name="Ada", tags=["vip"], plan="gold")
    others: list[Contact] = client.contacts.upsert_many(contacts=[{"phone": "+14155550131", "name": "Grace"}])
    found: Page[Contact] = client.contacts.search(query="name:Ada")
    print(f"contacts: {ada.phone} plan={ada.custom_fields.get('plan')}, {len(others)} updated, {len(found)} found")

    tagged: TagAction = client.tags.add_by_phone(phone=ada.phone or "", tag="newsletter")
    tags: list[str] = [t.name for t in client.tags.iter()]
    print(f"tags: {tagged.to_dict()} -> {tags}")

    sent: Message = client.messages.send(phone="+14155550130", message="Hi Ada", from_="+15105551234")
    later: ScheduledMessage = client.messages.schedule(
        phone="+14155550130", message="Reminder", scheduled_for=datetime.now(timezone.utc) + timedelta(hours=2)
    )
    cancelled: ScheduledMessage = client.messages.cancel(id=later.event_id)
    window: TimeRange = {"from": time.time() - 60, "to": time.time() + 60}
    recent: Page[Message] = client.messages.search_by_timestamp(created_at=window, direction="out")
    print(f"messages: sent {sent.event_id} from {sent.from_}, cancelled={cancelled.aborted}, {len(recent)} recent")
    raw: RawResponse[Message] = client.messages.with_raw_response.get(
        id=sent.event_id, timeout=5, max_retries=1, extra_headers={"x-example": "every-resource"}
    )
    again: Message = raw.parse()
    print(f"raw: {raw.status_code} {raw.headers['content-type']} same={again == sent} extra={again.extra}")

    assert sent.ticket_id is not None, "a sent message opens or continues a ticket"
    ticket: Ticket = client.tickets.update_status(ids=[sent.ticket_id], status="Pending")[0]
    owner: User = client.users.list().items[0]
    assigned: list[Ticket] = client.tickets.assign(ids=ticket.id, user_id=owner.id)
    earlier: list[PreviousTicket] = client.tickets.previous(id=ticket.id)
    print(f"tickets: {ticket.id} {ticket.status}, assigned to {assigned[0].user_id}, {len(earlier)} earlier")

    sale: CustomEvent = client.events.add_to_contact(id=ada.id, type="sale", revenue=12.5)
    stream: list[Event] = list(client.events.iter(ids=[ticket.id]))
    kinds = sorted({type(e).__name__ for e in stream})
    print(f"events: {sale.type} {sale.revenue}; stream of {len(stream)}: {kinds}")

    draft: Broadcast = client.broadcasts.create(message="Sale!", name="Promo", via_tags="vip")
    audience: AudienceCount = client.broadcasts.audience_count(id=draft.id)
    published: Broadcast = client.broadcasts.publish(id=draft.id, asap=True)
    print(f"broadcasts: {draft.name} to {audience.count} contact(s): {published.status}")

    campaigns: list[Campaign] = client.campaigns.list()
    keys = [c.key for c in campaigns if c.key]
    removed: CampaignCancellation = client.campaigns.remove_contact(id=keys[0], phone="+14155550130")
    print(f"campaigns: {keys}, removal: {removed.to_dict()}")

    added: UserDetails = client.users.add(email="python-example@example.com", role="member", name="Example")
    promoted: UserDetails = client.users.update_role(email=added.email, role="manager")
    gone: UserNotice = client.users.delete(id=added.id)
    print(f"users: {promoted.email} is {promoted.role}; {gone.message}")

    token: CallToken = client.calls.create_token()
    print(f"calls: token issued={token.twilio_token is not None}")


async def concurrently(client: avochato.AsyncClient) -> None:
    me, contacts, tickets = await asyncio.gather(
        client.verify(timeout=10), client.contacts.list(limit=50), client.tickets.list()
    )
    phones: list[str] = [c.phone async for c in client.contacts.iter() if c.phone]
    print(f"asyncio: {me.user.name}: {len(contacts)} contact(s), {len(tickets)} ticket(s), phones {phones}")
    try:
        await client.messages.get(id="no-such-message")
    except avochato.NotFoundError as e:
        print(f"asyncio: {type(e).__name__} status={e.status} request_id={e.request_id}")


if __name__ == "__main__":
    with avochato.Client() as c:
        blocking(c)
    asyncio.run(concurrently(avochato.AsyncClient()))
