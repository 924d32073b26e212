// The shared fault matrix (tests/fixtures/fault-matrix.json) through the npm package: for every
// fault and operation of the file, reset the mock, install the fault, make the call once with
// the file's client settings, and compare the outcome (ok or the error's kind), the requests the
// mock's recorder holds and, for the POST, the messages stored. Prints the matrix.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Avochato, AvochatoError } from '../dist/node/index.mjs';
import { root, startMock } from './helpers.mjs';

const MATRIX = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/fault-matrix.json'), 'utf8'));

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.stop());

/** The package's method for a core operation name (`messages.send_live_chat` → sendLiveChat). */
function methodOf(client, operation) {
  const [resource, name] = operation.split('.');
  const op = Avochato.operations().find((o) => o.resource === resource && o.rustMethod === name);
  assert.ok(op, `no operation ${operation}`);
  return (params, options) => client[resource][op.method](params, options);
}

async function stored(text) {
  const q = new URLSearchParams({ auth_id: mock.authId, auth_secret: mock.authSecret, query: `"${text}"` });
  return (await mock.control('GET', `/v1/messages?${q}`)).data.messages.length;
}

function cell(seen, expected) {
  const text = (s) => `${s.outcome} x${s.requests}${s.stored === undefined ? '' : ` stored ${s.stored}`}`;
  return JSON.stringify(seen) === JSON.stringify(expected) ? text(seen) : `${text(seen)} (expected ${text(expected)})`;
}

function table(title, columns, rows) {
  const head = [title, ...columns];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n');
}

test('the fault matrix, as the file says', async () => {
  const { client: settings, operations, faults } = MATRIX;
  const c = new Avochato(mock.options({
    timeoutMs: settings.timeout_ms, maxRetries: settings.max_retries, maxRetryWaitMs: settings.max_retry_wait_ms,
  }));
  const names = Object.keys(operations);
  const rows = [];
  const mismatches = [];
  const started = Date.now();
  for (const f of faults) {
    const row = [f.name];
    for (const name of names) {
      const op = operations[name];
      await mock.control('POST', '/__mock/reset');
      await mock.fault({ ...f.fault, method: op.method, path: op.path });
      let outcome = 'ok';
      try {
        await methodOf(c, name)(op.params);
      } catch (e) {
        if (!(e instanceof AvochatoError)) throw e;
        outcome = e.kind;
      }
      const seen = { outcome, requests: (await mock.requests(op.method, op.path)).length };
      if (op.method === 'POST') {
        seen.stored = await stored(op.params.message);
        assert.ok(seen.stored <= 1, `${f.name}: a message was stored twice`);
      }
      const expected = f.expect[op.method];
      row.push(cell(seen, expected));
      if (JSON.stringify(seen) !== JSON.stringify(expected)) {
        mismatches.push(`${f.name} on ${name}: got ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
      }
    }
    rows.push(row);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const columns = names.map((n) => `node ${operations[n].method} ${n}`);
  console.log(`\n${table('fault matrix: node', columns, rows)}\nnode: ${faults.length * names.length} cells in ${seconds} s\n`);
  assert.deepEqual(mismatches, []);
});
