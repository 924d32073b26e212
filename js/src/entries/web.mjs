// Browsers and bundlers: the module is inflated and compiled at import from the package's
// inline copy (no file to serve, so every bundler works without configuration). That takes
// a moment: calls made meanwhile wait for it (`await Avochato.ready()` for the synchronous
// `normalizePhone`).
import * as inline from 'avochato:wasm-base64';
import init from '../../build/pkg/avochato_wasm.js';
import { loading } from '../client.mjs';
import { fromBase64, web } from '../platform.mjs';

async function load() {
  if (typeof DecompressionStream !== 'function') throw new Error('this browser has no DecompressionStream');
  const stream = new Blob([fromBase64(inline)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return init({ module_or_path: await new Response(stream).arrayBuffer() });
}
loading(web(), load());

export * from '../public.mjs';
export { default } from '../public.mjs';
