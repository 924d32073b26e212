// Every error kind as its class, retries, validation before sending, and no secret anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '../dist/node/index.mjs';
import { SECRET, startMock } from './helpers.mjs';

const { Avochato, AvochatoError } = pkg;
let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

/** Runs `fn`, expects an error of `Class`, checks it holds no secret, returns it. */
async function expectError(Class, fn) {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof Class, `${e?.name}: ${e?.message} is not a ${Class.name}`);
    assert.ok(e instanceof AvochatoError && e instanceof Error);
    const everything = [e.message, e.stack, JSON.stringify(e), String(e), JSON.stringify(e.errors), e.body].join('\n');
    assert.ok(!everything.includes(SECRET), `the secret leaked: ${everything}`);
    return e;
  }
  assert.fail(`expected a ${Class.name}`);
}

test('each kind of failure has its class, status and request id', async () => {
  const c = new Avochato(mock.options({ timeoutMs: 400, maxRetryWaitMs: 100 }));
  const wrong = new Avochato(mock.options({ authSecret: 'wrong-secret-value' }));
  let e = await expectError(pkg.AuthenticationError, () => wrong.verify());
  assert.equal(e.status, 401);
  assert.deepEqual(e.errors, ['Unauthorized']);
  assert.match(e.requestId, /^mock-/);
  assert.equal(e.kind, 'authentication');
  e = await expectError(pkg.PermissionDeniedError, () => c.accounts.list({}, { subdomain: 'other-team' }));
  assert.equal(e.status, 403);
  await expectError(pkg.NotFoundError, () => c.messages.get({ id: 'nope' }));
  await c.contacts.upsert({ phone: '+16505551234', opted_out: true });
  e = await expectError(pkg.InvalidRequestError, () => c.messages.send({ phone: '+16505551234', message: 'hi' }));
  assert.deepEqual(e.errors, ['+16505551234 is already opted out']);
  await mock.fault({ method: 'GET', path: '/v1/tags', kind: 'status', status: 429, retry_after: '30' });
  e = await expectError(pkg.RateLimitError, () => c.tags.list());
  assert.equal(e.retryAfter, 30);
  await mock.fault({ method: 'POST', path: '/v1/calls', kind: 'status', status: 500, errors: `boom ${SECRET}` });
  e = await expectError(pkg.ServerError, () => c.calls.createToken());
  assert.match(e.message, /\[REDACTED\]/, 'an echoed secret is replaced');
  await mock.fault({ method: 'POST', path: '/v1/events', kind: 'delay', delay_ms: 1500 });
  await expectError(pkg.TimeoutError, () => c.events.addByPhone({ phone: '+14155550100', type: 'x' }));
  await mock.fault({ method: 'DELETE', path: '/v1/tags', kind: 'reset' });
  await expectError(pkg.ConnectionError, () => c.tags.removeByPhone({ phone: '+14155550100', tag: 'x' }));
  await mock.fault({ method: 'GET', path: '/v1/messages/m1', kind: 'malformed' });
  e = await expectError(pkg.DecodeError, () => c.messages.get({ id: 'm1' }));
  assert.equal(e.status, 200);
  e = await expectError(pkg.ValidationError, () => c.messages.send({ phone: '+14155550100', message: '' }));
  assert.equal(e.param, 'message');
});

test('retries: 429 is resent, a POST answered 500 is not', async () => {
  const c = new Avochato(mock.options());
  await mock.control('POST', '/__mock/reset');
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 429, retry_after: '0.1' });
  await c.messages.send({ phone: '+14155550100', message: 'once' });
  assert.equal((await mock.requests('POST', '/v1/messages')).length, 2);
  await mock.fault({ method: 'POST', path: '/v1/messages', kind: 'status', status: 500, effect: true });
  await expectError(pkg.ServerError, () => c.messages.send({ phone: '+14155550100', message: 'twice?' }));
  assert.equal((await mock.requests('POST', '/v1/messages')).length, 3);
  assert.equal((await c.messages.list()).items.length, 2, 'one message per send');
  await mock.fault({ method: 'GET', path: '/v1/whoami', kind: 'status', status: 503, count: 2 });
  assert.equal((await c.verify()).account.subdomain, 'test-account');
});

test('bad input is refused before anything is sent', async () => {
  await mock.control('POST', '/__mock/reset');
  const c = new Avochato(mock.options());
  const cases = [
    [() => c.messages.send({ phone: '+14155550100', message: 'x'.repeat(1601) }), 'message'],
    [() => c.messages.send({ phone: '+14155550100' }), 'message'],
    [() => c.messages.send({ phone: '+14155550100', message: 'hi', from: '510-555-1234' }), 'from'],
    [() => c.messages.send({ phone: '+14155550100', message: 'hi', bogus: 1 }), 'bogus'],
    [() => c.contacts.upsert({ phone: '+14155550100', priority: 9 }), 'priority'],
    [() => c.contacts.fetch({ ids: [] }), 'ids'],
    [() => c.contacts.fetch({ ids: ['a/b'] }), 'ids'],
    [() => c.tickets.updateStatus({ ids: ['t1'], status: 'Done' }), 'status'],
    [() => c.users.add({ email: 'a@b.co', role: 'admin' }), 'role'],
    [() => c.messages.search({ direction: 'sideways' }), 'direction'],
    [() => c.users.get({}), 'id'],
    [() => c.messages.send(42), null],
    [() => c.messages.send({ phone: 1n, message: 'x' }), null],
    [() => c.accounts.list({}, { subdomain: 'no good!' }), 'subdomain'],
  ];
  for (const [call, param] of cases) {
    const e = await expectError(pkg.ValidationError, call);
    if (param) assert.equal(e.param, param, e.message);
  }
  assert.deepEqual(await mock.requests(), [], 'nothing reached the server');
  await expectError(pkg.ValidationError, async () => new Avochato({ authId: 'x' }));
  const e = await expectError(pkg.ValidationError, async () => new Avochato({ authId: 'x', authSecret: 'y', baseUrl: 'http://example.com' }));
  assert.equal(e.param, 'baseUrl', 'named as the option is spelled in JavaScript');
});

test('options default from AVOCHATO_* variables in Node', async () => {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, { AVOCHATO_AUTH_ID: mock.authId, AVOCHATO_AUTH_SECRET: SECRET, AVOCHATO_BASE_URL: mock.url, AVOCHATO_SUBDOMAIN: 'second-inbox' });
    const me = await new Avochato().verify();
    assert.equal(me.account.subdomain, 'second-inbox');
    const explicit = await new Avochato({ subdomain: 'test-account' }).verify();
    assert.equal(explicit.account.subdomain, 'test-account', 'explicit options win');
  } finally {
    for (const k of Object.keys(process.env)) if (k.startsWith('AVOCHATO_')) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
