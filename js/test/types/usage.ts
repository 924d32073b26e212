// Type-checked with tsc --strict (never run): the public types are precise.
import { Avochato, AvochatoError, RateLimitError, ValidationError } from 'avochato';
import type { Contact, Message, Page, Ticket } from 'avochato';

export async function usage(): Promise<void> {
  const client = new Avochato({ authId: 'id', authSecret: 'secret', timeoutMs: 5000 });
  const none = new Avochato();
  const proxy = new Avochato({ baseUrl: '/api/avochato', headers: { 'X-Widget': '1' } });

  const sent: Message = await client.messages.send({ phone: '+14155550100', message: 'hi', mark_addressed: true });
  const to: string | null = sent.to;
  const page: Page<Contact> = await client.contacts.list();
  const first: Contact | undefined = page.items[0];
  const tags: string[] = first ? first.tags : [];
  const cursor: string | null = page.next_page;
  const tickets: Ticket[] = await client.tickets.close({ ids: ['t1'] });
  await client.messages.search({ created_at: { from: 1, to: 2 }, direction: 'in' }, { subdomain: 'other', timeoutMs: 100 });
  for await (const c of client.contacts.iter({ query: 'tags:vip' })) {
    const id: string = c.id;
    void id;
  }
  const scoped: Avochato = client.withSubdomain('second-inbox');
  const ops = Avochato.operations();
  const method: string = ops[0]!.method;

  try {
    await client.verify();
  } catch (e) {
    if (e instanceof RateLimitError) {
      const wait: number | null = e.retryAfter;
      void wait;
    } else if (e instanceof ValidationError) {
      const param: string | null = e.param;
      void param;
    } else if (e instanceof AvochatoError) {
      const status: number | null = e.status;
      const requestId: string | null = e.requestId;
      void status, requestId;
    }
  }

  // @ts-expect-error: `phone` is required
  await client.messages.send({ message: 'hi' });
  // @ts-expect-error: no such parameter
  await client.messages.send({ phone: '+1', message: 'hi', bogus: 1 });
  // @ts-expect-error: not a ticket status
  await client.tickets.updateStatus({ ids: ['t1'], status: 'Done' });
  // @ts-expect-error: `to` may be null
  const n: string = sent.to;
  // @ts-expect-error: no such operation
  await client.messages.sendFax({});
  // @ts-expect-error: parameters are required here
  await client.messages.send();

  void [none, proxy, to, tags, cursor, tickets, scoped, method, n];
}
