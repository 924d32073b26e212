// Every operation end to end against avochato-mock.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avochato } from '../dist/node/index.mjs';
import { startMock, tracked } from './helpers.mjs';

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

/** The resources in the order the flow reaches them; each has its own test below. */
const ORDER = ['accounts', 'contacts', 'tags', 'messages', 'tickets', 'events', 'broadcasts', 'campaigns', 'users', 'calls'];

class Stop extends Error {}

/** Every operation, in one flow that stops after the section of resource `stopAfter`. */
async function flow(c, stopAfter) {
  const at = (resource) => { if (resource === stopAfter) throw new Stop(); };
  const now = Date.now() / 1000;

  // accounts
  assert.deepEqual((await c.accounts.list()).items.map((a) => a.subdomain).sort(), ['second-inbox', 'test-account']);
  assert.equal((await c.accounts.fetch({ ids: ['second-inbox', 'nope'], page: 1 })).items.length, 1);
  const me = await c.accounts.whoami();
  assert.equal(me.account.subdomain, 'test-account');
  assert.equal(typeof me.created_at, 'number', 'the ISO created_at becomes a number');
  assert.equal((await c.accounts.whoami({}, { subdomain: 'second-inbox' })).account.subdomain, 'second-inbox');
  assert.equal((await c.withSubdomain('second-inbox').verify()).account.subdomain, 'second-inbox');

  at('accounts');
  // contacts
  const bob = await c.contacts.upsert({ phone: '(415) 555-3333', name: 'Bob', tags: ['red'], favorite_color: 'blue' });
  assert.equal(bob.phone, '+14155553333');
  assert.equal(bob.favorite_color, 'blue', 'custom fields come back as fields');
  const many = await c.contacts.upsertMany({ contacts: [{ phone: '+14155550001', name: 'Alice' }, { phone: '+14155550002', name: 'Carol' }] });
  assert.equal(many[0].name, 'Carol');
  assert.equal((await c.contacts.fetch({ ids: [bob.id, 'missing'] })).items.length, 1);
  const first = await c.contacts.list({ limit: 2 });
  assert.equal(first.items.length, 2);
  const rest = await c.contacts.paginate({ after_page: first.next_page, limit: 2 });
  assert.equal(rest.items.length, 1);
  assert.equal(rest.next_page, null);
  assert.equal((await c.contacts.search({ query: 'name:Alice OR name:Bob' })).items.length, 2);
  assert.equal((await c.contacts.removeAll({ query: 'name:Carol' })).query, 'name:Carol');

  at('contacts');
  // tags
  await c.tags.addByPhone({ phone: '+14155550001', tag: 'vip' });
  await c.tags.addToContacts({ ids: [bob.id], tag: 'newsletter' });
  const tags = await c.tags.list();
  assert.deepEqual(tags.items.map((t) => t.name), ['newsletter', 'red', 'vip']);
  assert.equal(tags.last_key, 'vip');
  await c.tags.removeFromContacts({ ids: bob.id, tag: 'newsletter' });
  await c.tags.removeByPhone({ phone: '+14155550001', tag: 'vip' });

  at('tags');
  // messages
  const sent = await c.messages.send({ phone: '+14155557777', message: 'Hello from JS', mark_addressed: true });
  assert.equal(sent.direction, 'out');
  assert.equal((await c.messages.get({ id: sent.event_id })).event_id, sent.event_id);
  const later = now + 7200;
  const s1 = await c.messages.schedule({ phone: '+14155557777', message: 'Reminder', scheduled_for: later });
  const s2 = await c.messages.schedule({ phone: '+14155557777', message: 'Later', scheduled_for: new Date((later + 60) * 1000) });
  assert.equal((await c.messages.searchScheduled()).items.length, 2);
  assert.equal((await c.messages.cancel({ id: s2.event_id })).aborted, true);
  const open = await c.messages.searchScheduledUncancelled();
  assert.deepEqual(open.items.map((m) => m.event_id), [s1.event_id]);
  assert.equal((await c.messages.searchScheduledByDate({ scheduled_for: { from: later - 1, to: later + 1 } })).items.length, 1);
  const chat = await c.messages.sendLiveChat({ phone: 'avochato:c:XXXX-YYYY-ZZZZ', message: 'Hi chat' });
  assert.equal(chat.carrier, 'avochato');
  assert.equal((await c.messages.list()).items.length, 2);
  assert.equal((await c.messages.search({ query: 'JS', direction: 'out' })).items.length, 1);
  assert.equal((await c.messages.searchByTimestamp({ created_at: { from: now - 60, to: now + 600 } })).items.length, 2);

  at('messages');
  // tickets
  const ticket = sent.ticket_id;
  assert.ok((await c.tickets.list()).total_count >= 2);
  assert.equal((await c.tickets.fetch({ ids: [ticket, 'nope'] })).items.length, 1);
  assert.equal((await c.tickets.updateStatus({ ids: [ticket], status: 'Pending' }))[0].status, 'Pending');
  const users = (await c.users.list()).items;
  const teammate = users.find((u) => u.email === 'teammate@example.com');
  assert.equal((await c.tickets.assign({ ids: [ticket], user_id: teammate.id }))[0].user_id, teammate.id);
  assert.notEqual((await c.tickets.assignByEmail({ ids: [ticket], user_email: 'alice@example.com' }))[0].user_id, teammate.id);
  assert.equal((await c.tickets.unassign({ ids: [ticket] }))[0].user_id, null);
  assert.ok((await c.tickets.autoassign({ ids: [ticket] }))[0].user_id);
  assert.equal((await c.tickets.setUnaddressed({ ids: [ticket], unaddressed: true }))[0].unaddressed, true);
  assert.equal((await c.tickets.close({ ids: [ticket] }))[0].status, 'Closed');
  assert.equal((await c.tickets.search({ query: 'status:Closed' })).items.length, 1);
  const again = await c.messages.send({ phone: '+14155557777', message: 'Back' });
  assert.deepEqual((await c.tickets.previous({ id: again.ticket_id })).map((t) => t.id), [ticket]);

  at('tickets');
  // events
  const e1 = await c.events.addToContact({ id: bob.id, type: 'sale', revenue: 99.99 });
  assert.equal(e1.type, 'sale');
  await c.events.addByPhone({ phone: '+14155553333', type: 'click' });
  await c.events.addToTicket({ id: e1.ticket_id, type: 'visit' });
  const stream = await c.events.fetch({ ids: [ticket, e1.ticket_id] });
  const kinds = new Set(stream.items.map((e) => e.element_type));
  for (const k of ['CustomEvent', 'StatusChange', 'OwnerChange', 'SmsMessage', 'PendingMessage']) assert.ok(kinds.has(k), k);

  at('events');
  // broadcasts
  const draft = await c.broadcasts.create({ message: 'Sale!', name: 'Promo', via_tags: 'red', via_phone_numbers: ['5105550009'] });
  assert.equal(draft.status, 'draft');
  await c.broadcasts.update({ id: draft.id, name: 'Promo 2', via_field: { field: 'name', value: 'Alice' } });
  assert.equal((await c.broadcasts.audienceCount({ id: draft.id })).count, 3);
  assert.equal((await c.broadcasts.publish({ id: draft.id, asap: true })).status, 'completed');
  assert.equal((await c.broadcasts.fetch({ ids: draft.id })).items[0].delivered, 3);
  assert.equal((await c.broadcasts.list()).items.length, 1);

  at('broadcasts');
  // campaigns
  assert.deepEqual((await c.campaigns.list()).map((x) => x.key), ['one', 'two']);
  assert.equal((await c.campaigns.fetch({ ids: 'one' })).items.length, 1);
  const phones = ['+15555550101', '+15555550102', '+15555550103', '+15555550104'];
  await mock.control('POST', '/__mock/campaigns/enroll', { key: 'one', phones });
  await mock.control('POST', '/__mock/campaigns/enroll', { key: 'two', phones });
  const pending = async () => (await c.messages.searchScheduledUncancelled()).items.length;
  const before = await pending();
  await c.campaigns.removeContact({ id: 'one', phone: phones[0] });
  await c.campaigns.removeContactRecursively({ id: 'one', phone: phones[1] });
  await c.campaigns.removeContacts({ id: 'two', contacts: [phones[2], phones[3]] });
  await c.campaigns.removeAllContacts({ id: 'one' });
  assert.equal(await pending(), before - 7);

  at('campaigns');
  // users
  const added = await c.users.add({ email: 'new@example.com', role: 'member', name: 'New' });
  assert.equal((await c.users.get({ email: 'new@example.com' })).id, added.id);
  assert.equal((await c.users.accounts({ id: added.id })).length, 1);
  assert.equal((await c.users.updateRole({ id: added.id, role: 'manager' })).role, 'manager');
  assert.equal((await c.users.disable({ id: added.id })).enabled, false);
  assert.equal((await c.users.enable({ id: added.id })).enabled, true);
  assert.equal((await c.users.setMfaPhone({ id: added.id, phone: '+14155559876' })).user.id, added.id);
  assert.match((await c.users.resetPassword({ id: added.id })).message, /new@example.com/);
  assert.match((await c.users.delete({ id: added.id })).message, /removed/);

  at('users');
  // calls
  assert.equal((await c.calls.createToken()).twilio_token, null);

  at('calls');
}

for (const resource of ORDER) {
  test(`the ${resource} operations`, async () => {
    await mock.control('POST', '/__mock/reset');
    const { client, seen } = tracked(new Avochato(mock.options()));
    try {
      await flow(client, resource);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    const mine = Avochato.operations().filter((o) => o.resource === resource).map((o) => `${o.resource}.${o.method}`);
    assert.deepEqual(mine.filter((o) => !seen.has(o)), [], `${resource}: every operation was called`);
  });
}

test('every resource of the manifest has its test', () => {
  assert.deepEqual(new Set(ORDER), new Set(Avochato.operations().map((o) => o.resource)));
});
