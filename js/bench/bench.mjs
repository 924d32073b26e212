// The Node side of `make bench`: the SDK against raw fetch + JSON.parse on the same
// loopback server (avochato-mock answering from prepared bodies).
//
//   node bench.mjs calls URL AUTH_ID AUTH_SECRET N   -> latency and throughput, as JSON
//   node bench.mjs memory URL AUTH_ID AUTH_SECRET    -> peak RSS walking 100,000 contacts
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Avochato } from '../dist/node/index.mjs';

const [mode, url, authId, authSecret, nArg] = process.argv.slice(2);
const PHONE = '+14155550100';
const TEXT = 'Benchmark message';
const client = new Avochato({ authId, authSecret, baseUrl: url });

const sides = {
  'messages.send': {
    sdk: async () => { await client.messages.send({ phone: PHONE, message: TEXT }); },
    raw: async () => {
      const res = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ auth_id: authId, auth_secret: authSecret, phone: PHONE, message: TEXT }),
      });
      JSON.parse(await res.text());
    },
  },
  'contacts.list': {
    sdk: async () => {
      const page = await client.contacts.list({ limit: 100 });
      if (page.items.length !== 100) throw new Error('short page');
    },
    raw: async () => {
      const q = new URLSearchParams({ auth_id: authId, auth_secret: authSecret, limit: '100' });
      const res = await fetch(`${url}/v1/contacts?${q}`);
      const body = JSON.parse(await res.text());
      if (body.data.contacts.length !== 100) throw new Error('short page');
    },
  },
};

function stats(us) {
  us.sort((a, b) => a - b);
  const at = (q) => us[Math.min(us.length, Math.max(1, Math.ceil(q * us.length))) - 1];
  return { median_us: at(0.5), p99_us: at(0.99), n: us.length };
}

// Three rounds of `n` calls a side, the sides alternating in blocks of 100: the middle
// round's medians (by ratio), the p99 over every call.
async function latency(sdk, raw, n) {
  for (const f of [sdk, raw]) for (let i = 0; i < 200; i++) await f();
  const rounds = [];
  for (let k = 0; k < 3; k++) {
    const out = { sdk: [], raw: [] };
    while (out.sdk.length < n) {
      for (const [side, f] of [['sdk', sdk], ['raw', raw]]) {
        for (let i = 0; i < 100; i++) {
          const t0 = performance.now();
          await f();
          out[side].push((performance.now() - t0) * 1000);
        }
      }
    }
    const s = stats([...out.sdk]).median_us;
    const r = stats([...out.raw]).median_us;
    rounds.push({ ratio: s / r, s, r, out });
  }
  rounds.sort((a, b) => a.ratio - b.ratio);
  const mid = rounds[1];
  const s = { ...stats(rounds.flatMap((x) => x.out.sdk)), median_us: mid.s };
  const r = { ...stats(rounds.flatMap((x) => x.out.raw)), median_us: mid.r };
  return { sdk: s, raw: r, ratio: mid.ratio, round_ratios: rounds.map((x) => x.ratio) };
}

async function throughput(f, c, n) {
  const shares = Array.from({ length: c }, (_, i) => Math.floor(n / c) + (i < n % c ? 1 : 0));
  const t0 = performance.now();
  await Promise.all(shares.map(async (k) => { for (let i = 0; i < k; i++) await f(); }));
  return n / ((performance.now() - t0) / 1000);
}

function statusKib(key) {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key));
  return line ? Number(line.split(/\s+/)[1]) : 0;
}

/** Every contact of the canned 1,000-page list with raw fetch + JSON.parse. */
async function* rawContacts() {
  let after = null;
  for (;;) {
    const q = new URLSearchParams({ auth_id: authId, auth_secret: authSecret, limit: '100' });
    if (after) q.set('after_page', after);
    const body = JSON.parse(await (await fetch(`${url}/v1/contacts?${q}`)).text());
    yield* body.data.contacts;
    after = body.data.next_page;
    if (!after) return;
  }
}

if (mode === 'memory' || mode === 'memory-raw') {
  await client.verify();
  const baseline = statusKib('VmRSS:');
  try { writeFileSync('/proc/self/clear_refs', '5'); } catch { /* not Linux */ }
  const t0 = performance.now();
  let items = 0;
  const walk = mode === 'memory' ? client.contacts.iter({ limit: 100 }) : rawContacts();
  for await (const c of walk) if (c.id) items++;
  const peak = Math.max(statusKib('VmHWM:'), statusKib('VmRSS:'));
  console.log(JSON.stringify({ items, baseline_kib: baseline, peak_kib: peak, delta_kib: Math.max(0, peak - baseline), seconds: (performance.now() - t0) / 1000 }));
} else {
  const n = Number(nArg ?? 2000);
  const out = { latency: {}, throughput: {} };
  for (const [name, { sdk, raw }] of Object.entries(sides)) {
    out.latency[name] = await latency(sdk, raw, n);
    out.throughput[name] = {};
    for (const c of [1, 8, 64]) {
      // The median of three runs, the sides alternating.
      const runs = { s: [], r: [] };
      for (let i = 0; i < 3; i++) {
        runs.s.push(await throughput(sdk, c, n / 2));
        runs.r.push(await throughput(raw, c, n / 2));
      }
      const s = runs.s.sort((a, b) => a - b)[1];
      const r = runs.r.sort((a, b) => a - b)[1];
      out.throughput[name][c] = { sdk: s, raw: r, ratio: s / r };
    }
  }
  console.log(JSON.stringify(out));
}
