// The leak scan: the test secret planted in the server's answers (raw, JSON-escaped,
// HTML-escaped, percent-encoded, across the excerpt's cut) never appears in anything the
// package shows: error messages, stacks, JSON.stringify(error), String(error), causes, log
// lines at the most verbose level, or the client itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Avochato } from '../dist/node/index.mjs';
import { SECRET, startMock } from './helpers.mjs';

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

const escapedJson = SECRET.split('').map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const escapedHtml = SECRET.split('').map((c) => `&#${c.charCodeAt(0)};`).join('');
const percent = SECRET.split('').map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

test('the secret planted in answers never reaches an error, a log line or the client', async () => {
  const lines = [];
  const c = new Avochato(mock.options({ logLevel: 'debug', logger: (l) => lines.push(l), maxRetries: 0, timeoutMs: 500 }));
  const surfaced = [inspect(c), JSON.stringify(c), String(c)];
  const plant = [
    { kind: 'status', status: 400, errors: `bad secret ${SECRET}` },
    { kind: 'status', status: 401, errors: [`raw ${SECRET}`, `json ${escapedJson}`] },
    { kind: 'status', status: 500, body: `{"errors": "${escapedJson}", "html": "${escapedHtml}", "url": "${percent}"}` },
    { kind: 'status', status: 502, body: `${'x'.repeat(190)}${SECRET}${'y'.repeat(60)}` },
    { kind: 'html', status: 503 },
    { kind: 'status', status: 200, body: `{"status": 422, "errors": "${SECRET}"}` },
    { kind: 'malformed' },
  ];
  for (const f of plant) {
    await mock.fault({ method: 'GET', path: '/v1/whoami', ...f });
    const e = await c.verify().then(() => null, (err) => err);
    assert.ok(e, JSON.stringify(f));
    surfaced.push(e.message, e.stack, JSON.stringify(e), String(e), inspect(e), JSON.stringify(e.errors), String(e.body), String(e.cause?.stack ?? ''));
  }
  // A failure before any answer (refused connection), with the secret in the URL it tried.
  const down = new Avochato({ authId: mock.authId, authSecret: SECRET, baseUrl: 'http://127.0.0.1:9', maxRetries: 0, logLevel: 'debug', logger: (l) => lines.push(l) });
  const e = await down.verify().then(() => null, (err) => err);
  surfaced.push(e.message, e.stack, JSON.stringify(e), inspect(e), String(e.cause?.message), String(e.cause?.stack));
  surfaced.push(...lines);
  const leaks = surfaced.filter((t) => t.includes(SECRET) || t.includes(SECRET.slice(0, 12)));
  assert.deepEqual(leaks, [], 'the secret (or its first 12 characters) appeared');
  assert.ok(lines.length > 10, 'the debug log was on');
});
