// The differential test of the response decoder: every documented example response, and
// variants of each (unknown fields, optional fields missing or null, times as integers, ISO
// strings or numeric strings, whole numbers as floats, broken shapes, error envelopes with
// status 200, not JSON), decoded by the core's typed decode in Rust and by the package's
// generated tables in JavaScript: the same values, or the same error kind and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { __decodeForTests } from '../dist/node/index.mjs';
import { root } from './helpers.mjs';

function rustCases() {
  const fixture = resolve(root, 'tests/fixtures/avochato-v1.json');
  const built = resolve(root, 'target/debug/avochato-codegen');
  const out = existsSync(built)
    ? execFileSync(built, ['decode-cases', fixture], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : execFileSync('cargo', ['run', '-q', '-p', 'avochato-codegen', '--', 'decode-cases', fixture], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

test('the JavaScript decode equals the Rust decode on every documented response and its variants', () => {
  const cases = rustCases();
  assert.ok(cases.length >= 64 * 20, `${cases.length} cases`);
  const differ = [];
  const tally = { ok: 0, error: 0 };
  for (const c of cases) {
    const js = __decodeForTests(c.op, c.body);
    const rust = 'ok' in c ? { ok: c.ok } : { error: c.error };
    tally['ok' in c ? 'ok' : 'error']++;
    try {
      assert.deepStrictEqual(js, rust);
    } catch {
      differ.push(`${c.title} / ${c.variant}:\n  rust ${JSON.stringify(rust).slice(0, 400)}\n  js   ${JSON.stringify(js).slice(0, 400)}`);
    }
  }
  console.log(`decode differential: ${cases.length} cases (${tally.ok} decoded, ${tally.error} errors), ${differ.length} differ`);
  assert.deepEqual(differ.slice(0, 10), [], `${differ.length} of ${cases.length} cases differ`);
});
