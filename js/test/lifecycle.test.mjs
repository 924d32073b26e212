// No crash and no hanging process: a panic inside the core is an InternalError and the next
// call works; a timed-out call is aborted, so a script ends as soon as its work is done.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as pkg from '../dist/node/index.mjs';
import { SECRET, root, startMock } from './helpers.mjs';

const { Avochato, InternalError, AvochatoError } = pkg;
let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

test('a panic in the core is an InternalError, and the instance works again after it', async () => {
  const c = new Avochato(mock.options());
  assert.equal((await c.verify()).account.subdomain, 'test-account');
  assert.throws(() => pkg.__panicForTests(), (e) => e instanceof InternalError && e instanceof AvochatoError && e.kind === 'internal');
  assert.equal((await c.verify()).account.subdomain, 'test-account', 'a fresh instance serves the same client');
  assert.equal(pkg.normalizePhone('4155551234'), '+14155551234');
});

test('out-of-range options are validation errors naming the option, never a crash', async () => {
  await mock.control('POST', '/__mock/reset');
  for (const [options, param] of [[{ timeoutMs: 1e300 }, 'timeoutMs'], [{ timeoutMs: Number.NaN }, 'timeoutMs'], [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ maxRetryWaitMs: -1 }, 'maxRetryWaitMs'], [{ bogus: 1 }, 'bogus']]) {
    assert.throws(() => new Avochato(mock.options(options)), (e) => e instanceof pkg.ValidationError && e.param === param, JSON.stringify(options));
  }
  const c = new Avochato(mock.options());
  for (const [options, param] of [[{ timeoutMs: 1e300 }, 'timeoutMs'], [{ maxRetries: -1 }, 'maxRetries'], [{ bogus: true }, 'bogus']]) {
    await assert.rejects(c.verify(options), (e) => e instanceof pkg.ValidationError && e.param === param, JSON.stringify(options));
  }
  for (const page of [Number.NaN, Infinity, -1, 0]) {
    await assert.rejects(c.messages.list({ page }), (e) => e instanceof pkg.ValidationError && e.param === 'page', String(page));
  }
  assert.deepEqual(await mock.requests(), [], 'nothing was sent');
});

test('after a call times out, the script ends at once (the request is aborted)', () => {
  const script = `
    import { Avochato, TimeoutError } from ${JSON.stringify(`${root}/js/dist/node/index.mjs`)};
    const c = new Avochato({ authId: ${JSON.stringify(mock.authId)}, authSecret: ${JSON.stringify(SECRET)}, baseUrl: ${JSON.stringify(mock.url)}, timeoutMs: 300, maxRetries: 0 });
    try { await c.verify(); console.log('answered'); } catch (e) { console.log(e instanceof TimeoutError ? 'timeout' : String(e)); }
    globalThis.ended = performance.now();
  `;
  return (async () => {
    await mock.fault({ method: 'GET', path: '/v1/whoami', kind: 'delay', delay_ms: 8000 });
    const started = Date.now();
    const done = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(done.stdout.trim(), 'timeout', done.stderr);
    assert.ok(seconds < 1.3 + 0.3, `the process lived ${seconds.toFixed(2)} s (timeout 0.3 s): the request was not aborted`);
  })();
});
