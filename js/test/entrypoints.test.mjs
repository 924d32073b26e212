// The package from outside: `import` and `require` through the exports map, a
// serverless-style CommonJS handler, and the examples.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { root, startMock, SECRET } from './helpers.mjs';

let mock;
let project;
before(async () => {
  mock = await startMock();
  project = mkdtempSync(join(tmpdir(), 'avochato-consumer-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(resolve(root, 'js'), join(project, 'node_modules/avochato'), 'dir');
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
});
after(async () => {
  await mock.stop();
  rmSync(project, { recursive: true, force: true });
});

const env = () => ({ ...process.env, AVOCHATO_AUTH_ID: mock.authId, AVOCHATO_AUTH_SECRET: SECRET, AVOCHATO_BASE_URL: mock.url });
const node = (args, cwd = project) => execFileSync(process.execPath, args, { cwd, env: env(), encoding: 'utf8' });

test('ESM import of the package sends a message', async () => {
  writeFileSync(join(project, 'esm.mjs'), `
    import { Avochato, AvochatoError } from 'avochato';
    import Default from 'avochato';
    const c = new Avochato();
    const m = await c.messages.send({ phone: '+14155550150', message: 'from ESM' });
    console.log(JSON.stringify({ to: m.to, sameClass: Default === Avochato, errors: typeof AvochatoError }));
  `);
  const out = JSON.parse(node(['esm.mjs']));
  assert.deepEqual(out, { to: '+14155550150', sameClass: true, errors: 'function' });
});

test('a CommonJS serverless handler (require) sends a message', async () => {
  copyFileSync(resolve(root, 'js/examples/handler.cjs'), join(project, 'handler.cjs'));
  const run = (event) => JSON.parse(node(['-e', `require('./handler.cjs').handler(${JSON.stringify(event)}).then((r) => console.log(JSON.stringify(r)))`]));
  const ok = run({ phone: '+14155550151', text: 'from CommonJS' });
  assert.equal(ok.statusCode, 200);
  assert.equal(JSON.parse(ok.body).to, '+14155550151');
  const bad = run({ phone: '+14155550151', text: '' });
  assert.equal(bad.statusCode, 400);
  assert.equal(JSON.parse(bad.body).error, 'validation');
  const posted = await mock.requests('POST', '/v1/messages');
  assert.ok(posted.some((r) => r.body.message === 'from CommonJS'));
});

test('require and import share one instance of the classes', () => {
  writeFileSync(join(project, 'both.mjs'), `
    import { createRequire } from 'node:module';
    import * as esm from 'avochato';
    const cjs = createRequire(import.meta.url)('avochato');
    console.log(esm.Avochato === cjs.Avochato && esm.ValidationError === cjs.ValidationError);
  `);
  assert.equal(node(['both.mjs']).trim(), 'true');
});

test('the Node quickstart runs', () => {
  const out = node([resolve(root, 'js/examples/quickstart.mjs')], resolve(root, 'js'));
  assert.match(out, /node: sent message \w+ to \+14155550124/);
  assert.match(out, /node: refused before sending/);
});
