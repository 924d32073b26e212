// for await over every page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avochato } from '../dist/node/index.mjs';
import { startMock } from './helpers.mjs';

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

test('for await walks contacts (cursor), tickets (pages) and tags (last_key) to the end', async () => {
  const c = new Avochato(mock.options());
  const contacts = Array.from({ length: 75 }, (_, i) => ({ phone: `+1415555${String(i).padStart(4, '0')}` }));
  for (let i = 0; i < 75; i += 25) await c.contacts.upsertMany({ contacts: contacts.slice(i, i + 25) });
  const seen = new Set();
  for await (const contact of c.contacts.iter({ limit: 20 })) seen.add(contact.id);
  assert.equal(seen.size, 75);
  const cursorRequests = (await mock.requests('GET', '/v1/contacts')).length;
  assert.equal(cursorRequests, 4, '20+20+20+15, then next_page is null');

  for (let i = 0; i < 35; i++) await c.messages.send({ phone: `+1415556${String(i).padStart(4, '0')}`, message: 'hi' });
  let tickets = 0;
  for await (const t of c.tickets.iter()) tickets += t.id ? 1 : 0;
  assert.equal(tickets, 35);

  for (let i = 0; i < 40; i++) await c.tags.addToContacts({ ids: [[...seen][0]], tag: `tag-${String(i).padStart(3, '0')}` });
  const names = [];
  for await (const t of c.tags.iter()) names.push(t.name);
  assert.equal(names.length, 40);
  assert.deepEqual(names, [...names].sort());
});

test('break stops early, and errors surface in the loop', async () => {
  const c = new Avochato(mock.options());
  let n = 0;
  for await (const _ of c.contacts.iter({ limit: 5 })) if (++n === 7) break;
  assert.equal(n, 7);
  await mock.fault({ method: 'GET', path: '/v1/users', kind: 'status', status: 400 });
  await assert.rejects(async () => { for await (const _ of c.users.iter()) { /* nothing */ } }, /HTTP 400/);
});
