// The shared bad-input suite (tests/fixtures/bad-inputs.json) through the npm package: every bad
// input must throw a ValidationError naming the file's parameter with no request reaching the
// mock; every good input must be sent. Prints a summary.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Avochato, AvochatoError, ValidationError } from '../dist/node/index.mjs';
import { root, startMock } from './helpers.mjs';

const SUITE = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/bad-inputs.json'), 'utf8'));
const HOST = 'node';

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

/** The fixture's value as JavaScript gives it (markers turned into JavaScript values). */
function value(v) {
  if (Array.isArray(v)) return v.map(value);
  if (v === null || typeof v !== 'object') return v;
  if ('$nan' in v) return NaN;
  if ('$inf' in v) return Infinity * v.$inf;
  if ('$huge' in v) return Number.MAX_VALUE;
  if ('$bigint' in v) return BigInt(v.$bigint);
  if ('$repeat' in v) return v.$repeat[0].repeat(v.$repeat[1]);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
}

/** Client options are camelCase in JavaScript (`base_url` → `baseUrl`), and so are their names in errors. */
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const camelKeys = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [camel(k), v]));
const isOption = (c) => Object.keys({ ...c.client_options, ...c.call_options }).includes(c.param);

function methodOf(client, operation) {
  const [resource, name] = operation.split('.');
  const op = Avochato.operations().find((o) => o.resource === resource && o.rustMethod === name);
  assert.ok(op, `no operation ${operation}`);
  return (params, options) => client[resource][op.method](params, options);
}

async function call(c) {
  try {
    const client = new Avochato(mock.options(camelKeys(c.client_options)));
    await methodOf(client, c.operation)(value(c.params), c.call_options ? camelKeys(c.call_options) : undefined);
  } catch (e) {
    return e;
  }
  return undefined;
}

test('bad inputs are refused before sending; good ones are sent', async () => {
  assert.ok(SUITE.bad.length >= 40);
  const problems = [];
  await mock.control('POST', '/__mock/reset');
  const bad = SUITE.bad.filter((c) => !(HOST in (c.not_in ?? {})));
  let refused = 0;
  for (const c of bad) {
    const e = await call(c);
    const param = isOption(c) ? camel(c.param) : c.param;
    if (e === undefined) problems.push(`bad input ${c.name}: accepted`);
    else if (!(e instanceof ValidationError)) problems.push(`bad input ${c.name}: ${e?.name}: ${e?.message}`);
    else if (e.kind !== 'validation' || e.param !== param) problems.push(`bad input ${c.name}: param ${e.param} (kind ${e.kind}), expected ${param}: ${e.message}`);
    else refused++;
  }
  const reached = await mock.requests();
  if (reached.length) problems.push(`${reached.length} requests reached the mock: ${reached.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  const good = SUITE.good.filter((c) => !(HOST in (c.not_in ?? {})));
  let sent = 0;
  for (const c of good) {
    const before = (await mock.requests()).length;
    const e = await call(c);
    const count = (await mock.requests()).length - before;
    if (e instanceof ValidationError) problems.push(`good input ${c.name}: refused: ${e.message}`);
    else if (e !== undefined && !(e instanceof AvochatoError)) problems.push(`good input ${c.name}: ${e?.name}: ${e?.message}`);
    else if (count !== 1) problems.push(`good input ${c.name}: ${count} requests reached the mock, expected 1`);
    else sent++;
  }
  const skipped = SUITE.bad.length - bad.length;
  console.log(`\nnode: ${refused}/${bad.length} refused, ${reached.length} requests sent, ${sent}/${good.length} good sent${skipped ? ` (${skipped} not applicable)` : ''}\n`);
  assert.deepEqual(problems, []);
});
