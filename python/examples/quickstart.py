"""The Python quickstart: python examples/quickstart.py

Reads AVOCHATO_AUTH_ID, AVOCHATO_AUTH_SECRET and AVOCHATO_BASE_URL (``make demo`` points them
at avochato-mock). The first half uses the blocking client, the second the asyncio one.
"""

from __future__ import annotations

import asyncio

import avochato


def blocking() -> None:
    with avochato.Client() as client:
        me = client.verify()
        print(f"python: signed in to inbox {me.account.subdomain} as {me.user.name}")

        contact = client.contacts.upsert(phone="+14155550125", name="Ada Lovelace", plan="gold")
        print(f"python: contact {contact.id} ({contact.phone}) plan={contact.custom_fields['plan']}")

        sent = client.messages.send(phone=contact.phone or "", message="Hello from Python!")
        print(f"python: sent message {sent.event_id} to {sent.to}")

        count = sum(1 for _ in client.contacts.iter())
        print(f"python: {count} contact(s) in the inbox")

        try:
            client.messages.send(phone="+14155550125", message="")
        except avochato.ValidationError as e:
            print(f"python: refused before sending: {e}")


async def main_async() -> None:
    async with avochato.AsyncClient() as client:
        page = await client.messages.list()
        print(f"python (asyncio): {len(page)} message(s) on the first page")
        tickets = [t.id async for t in client.tickets.iter()]
        print(f"python (asyncio): {len(tickets)} ticket(s)")


if __name__ == "__main__":
    blocking()
    asyncio.run(main_async())
