// The declarations: strict TypeScript accepts right calls and refuses wrong ones, and no
// public signature uses `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root } from './helpers.mjs';

const js = resolve(root, 'js');

test('tsc --strict accepts the usage file (and each @ts-expect-error is an error)', () => {
  try {
    execFileSync(join(js, 'node_modules/.bin/tsc'), ['-p', join(js, 'test/types/tsconfig.json')], { cwd: js, encoding: 'utf8' });
  } catch (e) {
    assert.fail(e.stdout || e.message);
  }
});

test('no `any` in the published declarations', () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.d\.[mc]?ts$/.test(p)) files.push(p);
    }
  };
  walk(join(js, 'dist'));
  // One ESM copy for the import conditions, one CommonJS copy for require (package.json).
  const named = JSON.stringify(JSON.parse(readFileSync(join(js, 'package.json'), 'utf8')).exports).match(/\.\/dist\/[^"]+\.d\.[mc]?ts/g);
  assert.deepEqual([...new Set(named)].map((f) => join(js, f)).sort(), [...files].sort());
  for (const f of files) {
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const hits = code.split('\n').filter((l) => /\bany\b/.test(l));
    assert.deepEqual(hits, [], f);
  }
});
