// Builds the npm package into dist/: the Rust core through wasm-bindgen, for Node (one
// CommonJS instance, also importable as ESM) and for browsers and bundlers (ESM).
//
//   cargo build -p avochato-wasm --target wasm32-unknown-unknown --profile wasm-release
//   wasm-bindgen --target nodejs | web     (the version pinned in Cargo.toml)
//   wasm-opt -Oz                          (npm binaryen)
//
// Skips the work when dist/ is newer than the compiled wasm. Prints the gzipped size.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const js = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(js, '..');
const dist = join(js, 'dist');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

run('cargo', ['build', '--quiet', '-p', 'avochato-wasm', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm-release']);
const input = join(root, 'target/wasm32-unknown-unknown/wasm-release/avochato_wasm.wasm');
const stamp = join(dist, '.built');
const sources = [input, join(js, 'src/errors.mjs'), join(js, 'src/errors.d.ts'), fileURLToPath(import.meta.url)];
const fresh = existsSync(stamp) && sources.every((s) => statSync(s).mtimeMs <= statSync(stamp).mtimeMs);
if (fresh) {
  console.log('js: dist/ is up to date');
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
const wasmOpt = join(js, 'node_modules/.bin/wasm-opt');
for (const [target, dir] of [['nodejs', 'node/pkg'], ['web', 'web/pkg']]) {
  const out = join(dist, dir);
  run('wasm-bindgen', [input, '--out-dir', out, '--target', target, '--out-name', 'avochato_wasm']);
  const wasm = join(out, 'avochato_wasm_bg.wasm');
  run(wasmOpt, ['-Oz', '--strip-debug', '--strip-producers', wasm, '-o', wasm]);
  // The raw ABI (`(a: number, b: any) => any`) is not the package's API: the entries
  // initialize the module themselves, so its declarations are left out.
  rmSync(join(out, 'avochato_wasm_bg.wasm.d.ts'));
  const decl = join(out, 'avochato_wasm.d.ts');
  const text = readFileSync(decl, 'utf8');
  const cut = text.indexOf('export type InitInput');
  if (cut >= 0) writeFileSync(decl, text.slice(0, cut));
}
// wasm-bindgen's Node output is CommonJS; the package is "type": "module".
writeFileSync(join(dist, 'node/pkg/package.json'), '{ "type": "commonjs" }\n');

// The error classes: one source, an ESM and a CommonJS copy.
const errors = readFileSync(join(js, 'src/errors.mjs'), 'utf8');
const exported = [...errors.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
const errorNames = exported.filter((n) => n !== 'makeError');
writeFileSync(join(dist, 'errors.mjs'), errors);
writeFileSync(
  join(dist, 'errors.cjs'),
  "'use strict';\n" + errors.replace(/^export (class|function) /gm, '$1 ') + `\nmodule.exports = { ${exported.join(', ')} };\n`,
);
for (const ext of ['d.mts', 'd.cts']) copyFileSync(join(js, 'src/errors.d.ts'), join(dist, `errors.${ext}`));

const setup = `
wasm.__setErrorFactory(errors.makeError);
wasm.PageIterator.prototype[Symbol.asyncIterator] = function () { return this; };`;

// Node: one CommonJS instance, for require() and (through index.mjs) for import.
writeFileSync(
  join(dist, 'node/index.cjs'),
  `'use strict';
const wasm = require('./pkg/avochato_wasm.js');
const errors = require('../errors.cjs');
${setup}
module.exports = { Avochato: wasm.Avochato, PageIterator: wasm.PageIterator, ${errorNames.map((n) => `${n}: errors.${n}`).join(', ')} };
module.exports.default = wasm.Avochato;
`,
);
writeFileSync(
  join(dist, 'node/index.mjs'),
  `import cjs from './index.cjs';
export const { Avochato, PageIterator, ${errorNames.join(', ')} } = cjs;
export default cjs.Avochato;
`,
);
// Declarations per condition, with explicit extensions (TypeScript's NodeNext resolution).
const dts = (errorsModule) => `export * from './pkg/avochato_wasm.js';
export * from '${errorsModule}';
import { Avochato } from './pkg/avochato_wasm.js';
export default Avochato;
`;
writeFileSync(join(dist, 'node/index.d.mts'), dts('../errors.mjs'));
writeFileSync(join(dist, 'node/index.d.cts'), dts('../errors.cjs'));

// Browsers and bundlers: ESM; the module waits for the wasm (top-level await).
writeFileSync(
  join(dist, 'web/index.js'),
  `import init, * as wasm from './pkg/avochato_wasm.js';
import * as errors from '../errors.mjs';
await init({ module_or_path: new URL('./pkg/avochato_wasm_bg.wasm', import.meta.url) });
${setup}
export const Avochato = wasm.Avochato;
export const PageIterator = wasm.PageIterator;
export { ${errorNames.join(', ')} } from '../errors.mjs';
export default wasm.Avochato;
`,
);
writeFileSync(join(dist, 'web/index.d.ts'), dts('../errors.mjs'));

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const web = ['web/pkg/avochato_wasm_bg.wasm', 'web/pkg/avochato_wasm.js', 'web/index.js', 'errors.mjs'].map((f) => join(dist, f));
const raw = web.reduce((n, f) => n + statSync(f).size, 0);
const zipped = web.reduce((n, f) => n + gz(f), 0);
const sizes = { wasm: statSync(web[0]).size, wasmGzip: gz(web[0]), rawTotal: raw, gzipTotal: zipped };
writeFileSync(join(dist, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`js: built dist/ — browser bundle ${(raw / 1024).toFixed(1)} KiB, ${(zipped / 1024).toFixed(1)} KiB gzipped (wasm ${(sizes.wasmGzip / 1024).toFixed(1)} KiB gzipped)`);
