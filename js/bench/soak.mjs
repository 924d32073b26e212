// The Node side of `make soak`: N calls through one client at concurrency C against the
// release mock (answering from prepared bodies), with the process's figures every 10,000 calls.
//
//   node --expose-gc soak.mjs URL AUTH_ID AUTH_SECRET N C [mix]
//
// Prints one JSON line per checkpoint ({calls, rss_mb, heap_mb, external_mb, fds}; at 0, then
// every 10,000 calls), then {done}. `mix`: every 10th call is a 100-contact contacts.list
// instead of messages.send. Figures are taken after a full GC: heap_mb is heapUsed,
// external_mb holds the WebAssembly memory and buffers.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Avochato, AvochatoError } from '../dist/node/index.mjs';

const [url, authId, authSecret, nArg, cArg, mixArg] = process.argv.slice(2);
const n = Number(nArg);
const c = Number(cArg);
const mix = mixArg === 'mix';
const EVERY = 10_000;
const PHONE = '+14155550100';
const TEXT = 'Soak message';

const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;

function rssMb() {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round((Number(line.split(/\s+/)[1]) / 1024) * 10) / 10 : 0;
}

const t0 = performance.now();
function checkpoint(calls) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  console.log(JSON.stringify({
    calls,
    rss_mb: rssMb(),
    heap_mb: mb(m.heapUsed),
    external_mb: mb(m.external),
    fds: readdirSync('/proc/self/fd').length,
    seconds: Math.round(performance.now() - t0) / 1000,
  }));
}

const client = new Avochato({ authId, authSecret, baseUrl: url });
checkpoint(0);
let started = 0;
let done = 0;
let failures = 0;
async function worker() {
  while (started < n) {
    started += 1;
    const i = started;
    try {
      if (mix && i % 10 === 0) {
        const page = await client.contacts.list({ limit: 100 });
        if (page.items.length !== 100) throw new Error('short page');
      } else {
        await client.messages.send({ phone: PHONE, message: TEXT });
      }
    } catch (e) {
      if (!(e instanceof AvochatoError)) throw e;
      failures += 1;
    }
    // Calls finish out of order: the call that makes the count of finished ones a
    // multiple of EVERY takes the checkpoint.
    done += 1;
    if (done % EVERY === 0) checkpoint(done);
  }
}
await Promise.all(Array.from({ length: c }, worker));
console.log(JSON.stringify({ done, failures, seconds: Math.round(performance.now() - t0) / 1000 }));
