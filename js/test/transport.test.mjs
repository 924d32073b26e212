// Node's transport (node:http / node:https with keep-alive agents), as a user meets it:
// HTTPS with certificate checks, connections kept and reused, idle connections that do not
// hold the process open, an answer cut short, and the `fetch` option taking over.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Avochato, ConnectionError } from '../dist/node/index.mjs';
import { root, startMock } from './helpers.mjs';

const entry = join(root, 'js/dist/node/index.mjs');
const WHOAMI = JSON.parse(readFileSync(join(root, 'tests/fixtures/avochato-v1.json'), 'utf8'))
  .operations.find((o) => o.path === '/v1/whoami').example_response.body;

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

/**
 * Runs `code` (an ES module importing the package as `pkg`) in a fresh Node; asynchronous,
 * so that servers of this process keep answering.
 */
function script(code, env = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import * as pkg from ${JSON.stringify(entry)};\n${code}`], {
      env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

test('HTTPS: the certificate is checked, connections are reused, and the script ends at once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'avochato-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not available to make a test certificate');
    return;
  }
  let connections = 0;
  let requests = 0;
  const server = createHttps({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `tls-${requests}` });
      res.end(JSON.stringify(WHOAMI));
    });
  });
  server.on('secureConnection', () => { connections++; });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `https://localhost:${server.address().port}`;
  try {
    const code = `const c = new pkg.Avochato({ authId: 'id', authSecret: 'secret-value-1', baseUrl: ${JSON.stringify(base)}, maxRetries: 0 });
for (let i = 0; i < 5; i++) await c.verify();
const { meta } = await c.verify().withResponse();
console.log(meta.requestId);`;
    // Without the test CA the certificate is refused: a connection error, nothing decoded.
    const refused = await script(`${code.split('\n')[0]}\ntry { await c.verify(); } catch (e) { console.log(e.constructor.name, e.kind); }`);
    assert.match(refused.stdout, /ConnectionError connection/, refused.stderr);
    const before = connections;
    const ok = await script(code, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout.trim(), /^tls-\d+$/);
    assert.equal(connections - before, 1, 'six calls, one kept-alive connection');
    // The server keeps the connection open; the script still ended as soon as its work did.
    assert.ok(ok.ms < 5000, `ended in ${ok.ms} ms`);
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keep-alive: calls share connections, and an idle one does not hold the process open', async () => {
  const code = `const c = new pkg.Avochato({ authId: ${JSON.stringify(mock.authId)}, authSecret: ${JSON.stringify(mock.authSecret)}, baseUrl: ${JSON.stringify(mock.url)} });
const t0 = Date.now();
await Promise.all(Array.from({ length: 8 }, () => c.verify()));
for (let i = 0; i < 20; i++) await c.contacts.list({ limit: 2 });
console.log(Date.now() - t0);`;
  const out = await script(code);
  assert.equal(out.status, 0, out.stderr);
  // The mock's keep-alive timeout is longer than this: only the unref'd idle sockets remain.
  assert.ok(out.ms < 5000, `ended in ${out.ms} ms`);
});

test('an answer cut short is a connection error, and a POST cut short is not resent', async () => {
  let seen = 0;
  const server = createTcp((socket) => {
    socket.once('data', () => {
      seen++;
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"data":{"mess');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const c = new Avochato({ authId: 'id', authSecret: 'secret-value-1', baseUrl: `http://127.0.0.1:${server.address().port}`, maxRetries: 2 });
    const e = await c.messages.send({ phone: '+14155550100', message: 'once' }).then(() => null, (x) => x);
    assert.ok(e instanceof ConnectionError, String(e));
    assert.match(e.message, /closed before the whole response arrived/);
    assert.equal(seen, 1, 'a POST that may have arrived is not sent again');
  } finally {
    server.close();
  }
});

test('the fetch option replaces the transport (every call goes through it)', async () => {
  const calls = [];
  const c = new Avochato(mock.options({ fetch: (url, init) => { calls.push([init.method, new URL(url).pathname]); return fetch(url, init); } }));
  await c.verify();
  await c.messages.send({ phone: '+14155550100', message: 'through fetch' });
  assert.deepEqual(calls, [['GET', '/v1/whoami'], ['POST', '/v1/messages']]);
});
