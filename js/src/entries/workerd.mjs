// Cloudflare Workers (workerd): compiling WebAssembly from bytes is not allowed there, so
// the module is imported as a module (wrangler bundles `avochato.wasm` as one).
import wasmModule from 'avochato:wasm-module';
import { initSync } from '../../build/pkg/avochato_wasm.js';
import { ready } from '../client.mjs';
import { web } from '../platform.mjs';

initSync({ module: wasmModule });
ready(web('workerd'));

export * from '../public.mjs';
export { default } from '../public.mjs';
