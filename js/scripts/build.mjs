// Builds the npm package into dist/ from the Rust core:
//
//   cargo build -p avochato-wasm --target wasm32-unknown-unknown --profile wasm-release
//   wasm-bindgen --target web                (the version pinned in Cargo.toml) → js/build/pkg
//   wasm-opt -Oz                              (npm binaryen)
//   esbuild: one bundle per kind of runtime (Node CommonJS + its ESM face, Deno, browsers,
//   workerd), each with the client (js/src), its generated tables and the wasm-bindgen glue.
//
// The module ships once, inline (dist/wasm.mjs, base64: no file for a bundler to copy, no file
// read in Deno), plus dist/avochato.wasm for Cloudflare Workers, where it must be imported as a
// module. Skips the work when dist/ is newer than its inputs. Prints the sizes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';

const js = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(js, '..');
const dist = join(js, 'dist');
const pkg = join(js, 'build/pkg');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

const built = join(process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target'),
  'wasm32-unknown-unknown/wasm-release/avochato_wasm.wasm');
// Each build of the crate is kept under js/build (with its time): cargo writes both to one path.
const cargoBuild = (features, as) => {
  run('cargo', ['build', '--quiet', '-p', 'avochato-wasm', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm-release', ...features]);
  mkdirSync(join(js, 'build'), { recursive: true });
  const out = join(js, 'build', as);
  copyFileSync(built, out);
  const { atime, mtime } = statSync(built);
  utimesSync(out, atime, mtime);
  return out;
};
const input = cargoBuild([], 'avochato_wasm.wasm');
// avochato/proxy's module: the same crate with its `proxy` feature, so that the client's module
// (what a browser page loads) does not carry the proxy's decision.
const proxyInput = cargoBuild(['--features', 'proxy'], 'avochato_wasm_proxy.wasm');
const stamp = join(js, 'build/dist.stamp');
const sources = [input, proxyInput, fileURLToPath(import.meta.url), join(js, 'package.json')];
for (const dir of ['src', 'src/entries', 'src/generated']) {
  for (const f of readdirSync(join(js, dir))) if (/\.(mjs|ts)$/.test(f)) sources.push(join(js, dir, f));
}
const fresh = existsSync(stamp) && existsSync(join(dist, 'wasm.mjs')) && sources.every((s) => statSync(s).mtimeMs <= statSync(stamp).mtimeMs);
if (fresh && process.argv[2] !== '--force') {
  console.log('js: dist/ is up to date');
  process.exit(0);
}

// The core and its glue.
rmSync(pkg, { recursive: true, force: true });
run('wasm-bindgen', [input, '--out-dir', pkg, '--target', 'web', '--out-name', 'avochato_wasm',
  '--omit-default-module-path', '--experimental-reset-state-function']);
const wasmFile = join(pkg, 'avochato_wasm_bg.wasm');
run(join(js, 'node_modules/.bin/wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', wasmFile, '-o', wasmFile]);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const wasmBytes = readFileSync(wasmFile);
copyFileSync(wasmFile, join(dist, 'avochato.wasm'));
// Inline, compressed (deflate-raw, then base64): served gzipped, a base64 text of the raw
// module would weigh a quarter more than the module itself; this one weighs what the module
// does gzipped. The entries inflate it at load (node:zlib, or DecompressionStream).
const deflated = deflateRawSync(wasmBytes, { level: 9 });
writeFileSync(join(dist, 'wasm.mjs'),
  `// The avochato core (WebAssembly, deflate-raw, base64), inline: one copy for every runtime but workerd.\nexport default ${JSON.stringify(deflated.toString('base64'))};\n`);

// The bundles (the two virtual imports of the entries point at the module's two forms).
const esbuild = createRequire(import.meta.url)('esbuild');
for (const [entry, out, format] of [
  ['node.mjs', 'node/index.mjs', 'esm'],
  ['web.mjs', 'web/index.js', 'esm'],
  ['workerd.mjs', 'workerd/index.js', 'esm'],
]) {
  const source = readFileSync(join(js, 'src/entries', entry), 'utf8')
    .replace("'avochato:wasm-base64'", "'../wasm.mjs'")
    .replace("'avochato:wasm-module'", "'../avochato.wasm'");
  esbuild.buildSync({
    stdin: { contents: source, resolveDir: join(js, 'src/entries'), sourcefile: entry, loader: 'js' },
    outfile: join(dist, out),
    bundle: true,
    format,
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['../wasm.mjs', '../avochato.wasm', 'node:zlib'],
  });
}
// Node: `import` and `require` share one instance: the CommonJS entry is a face of the ES
// module (require(esm), Node >= 20.19). This way round, `import` reads no CommonJS source
// (Node's export scan of a CommonJS file and its asynchronous reads cost about 20 ms).
writeFileSync(join(dist, 'node/index.cjs'), "'use strict';\nmodule.exports = require('./index.mjs');\n");

// avochato/proxy: its own module (the crate with the `proxy` feature), glue and bundles; in
// Node, a CommonJS face of its ES module; its declarations (hand-written, importing the
// client's), once for import and once for require.
const proxyPkg = join(js, 'build/pkg-proxy');
rmSync(proxyPkg, { recursive: true, force: true });
run('wasm-bindgen', [proxyInput, '--out-dir', proxyPkg, '--target', 'web', '--out-name', 'avochato_wasm',
  '--omit-default-module-path']);
const proxyWasmFile = join(proxyPkg, 'avochato_wasm_bg.wasm');
run(join(js, 'node_modules/.bin/wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', proxyWasmFile, '-o', proxyWasmFile]);
const proxyWasm = readFileSync(proxyWasmFile);
copyFileSync(proxyWasmFile, join(dist, 'proxy.wasm'));
writeFileSync(join(dist, 'proxy-wasm.mjs'),
  `// The avochato core with the proxy's decision (WebAssembly, deflate-raw, base64), for avochato/proxy.\nexport default ${JSON.stringify(deflateRawSync(proxyWasm, { level: 9 }).toString('base64'))};\n`);
for (const [entry, out, format] of [
  ['proxy-node.mjs', 'node/proxy.mjs', 'esm'],
  ['proxy-web.mjs', 'web/proxy.js', 'esm'],
  ['proxy-workerd.mjs', 'workerd/proxy.js', 'esm'],
]) {
  const source = readFileSync(join(js, 'src/entries', entry), 'utf8')
    .replace("'avochato:wasm-base64'", "'../proxy-wasm.mjs'")
    .replace("'avochato:wasm-module'", "'../proxy.wasm'");
  esbuild.buildSync({
    stdin: { contents: source, resolveDir: join(js, 'src/entries'), sourcefile: entry, loader: 'js' },
    outfile: join(dist, out), bundle: true, format, platform: 'neutral', target: 'es2022', minify: true,
    legalComments: 'none', logLevel: 'warning', external: ['../proxy-wasm.mjs', '../proxy.wasm', 'node:zlib'],
  });
}
writeFileSync(join(dist, 'node/proxy.cjs'), "'use strict';\nmodule.exports = require('./proxy.mjs');\n");
const proxyDts = readFileSync(join(js, 'src/proxy.d.ts'), 'utf8');
for (const [f, index] of [['proxy.d.ts', './index.js'], ['node/proxy.d.cts', './index.cjs']]) {
  writeFileSync(join(dist, f), proxyDts.replace("from './index.js'", `from '${index}'`));
}
const proxyGz = ['web/proxy.js', 'proxy-wasm.mjs'].reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
console.log(`js: avochato/proxy — ${(proxyGz / 1024).toFixed(1)} KiB gzipped (its module and bundle; the client's are unchanged)`);

// Declarations, generated from the core (js/src/generated/index.d.ts), per condition.
const dts = readFileSync(join(js, 'src/generated/index.d.ts'), 'utf8');
// One ESM copy for every `import` condition, one CommonJS copy for `require`.
for (const f of ['index.d.ts', 'node/index.d.cts']) writeFileSync(join(dist, f), dts);
for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(root, f), join(js, f));

// Sizes: what a browser page loads (the web bundle and the inline module).
const web = ['web/index.js', 'wasm.mjs'].map((f) => readFileSync(join(dist, f)));
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b).length;
const glue = readFileSync(join(dist, 'web/index.js'));
const sizes = {
  wasm: wasmBytes.length,
  wasmGzip: gz(wasmBytes),
  wasmBrotli: br(wasmBytes),
  glue: glue.length,
  glueGzip: gz(glue),
  glueBrotli: br(glue),
  rawTotal: web.reduce((n, b) => n + b.length, 0),
  gzipTotal: web.reduce((n, b) => n + gz(b), 0),
  brotliTotal: web.reduce((n, b) => n + br(b), 0),
};
writeFileSync(join(js, 'build/sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`js: built dist/ — browser: ${(sizes.rawTotal / 1024).toFixed(1)} KiB, ${(sizes.gzipTotal / 1024).toFixed(1)} KiB gzipped, ${(sizes.brotliTotal / 1024).toFixed(1)} KiB brotli (wasm ${(sizes.wasmGzip / 1024).toFixed(1)} KiB gz, glue ${(sizes.glueGzip / 1024).toFixed(1)} KiB gz)`);
