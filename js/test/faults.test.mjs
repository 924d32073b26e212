// No panic reaches JavaScript: after every kind of broken answer the instance keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avochato, AvochatoError } from '../dist/node/index.mjs';
import { startMock } from './helpers.mjs';

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

test('the instance survives every fault kind and odd input', async () => {
  const c = new Avochato(mock.options({ maxRetries: 0, timeoutMs: 300 }));
  const kinds = [
    { kind: 'malformed' }, { kind: 'truncate', effect: true }, { kind: 'html' }, { kind: 'empty' },
    { kind: 'reset' }, { kind: 'status', status: 500 }, { kind: 'delay', delay_ms: 800 },
    { kind: 'status', status: 200, errors: 'odd' },
  ];
  for (const f of kinds) {
    await mock.fault({ method: 'GET', path: '/v1/contacts', ...f });
    await assert.rejects(c.contacts.search(), AvochatoError, JSON.stringify(f));
    const ok = await c.contacts.search();
    assert.ok(Array.isArray(ok.items), `works again after ${JSON.stringify(f)}`);
  }
  const cycle = {};
  cycle.self = cycle;
  for (const bad of [cycle, [], 'x', () => 1, { ids: { nested: true } }, { page: -1 }, { page: 1.5 }, { query: {} }]) {
    await assert.rejects(c.contacts.fetch(bad), AvochatoError);
  }
  for (const bad of [{ timeoutMs: -1 }, { maxRetries: 'x' }, 7]) {
    await assert.rejects(c.contacts.search({}, bad), AvochatoError);
  }
  const it = c.contacts.iter();
  const [a, b] = await Promise.allSettled([it.next(), it.next()]);
  assert.ok(a.status === 'fulfilled' || b.status === 'fulfilled');
  assert.equal((await c.verify()).account.subdomain, 'test-account', 'still working');
});
