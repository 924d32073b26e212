// Decoding a response that `JSON.parse` has read, with the tables generated from the core's
// type descriptions (generated/schema.mjs). The same walk as the core's `explain` module:
// the result is what the Rust typed decode gives (a differential test holds them equal) and
// a failure is worded alike, naming the place (`data.contacts[3].id`: expected a string,
// got null).
import { MODELS, OPERATIONS } from './generated/schema.mjs';

/**
 * Why a body does not decode: the package turns it into a `DecodeError` through the core.
 * While the walk unwinds, each level adds its place to `segments` (the success path builds
 * no path text).
 */
export class Mismatch {
  constructor(message, got) {
    this.message = message;
    this.got = got;
    this.segments = [];
    this.whole = null;
  }

  static whole(reason) {
    const m = new Mismatch('', undefined);
    m.whole = reason;
    return m;
  }

  at(segment) {
    this.segments.push(segment);
    return this;
  }

  get reason() {
    if (this.whole !== null) return this.whole;
    const path = this.segments.reverse().join('');
    this.segments.reverse();
    return this.got === undefined ? `\`${path}\`: ${this.message}` : `\`${path}\`: expected ${this.message}, got ${kindOf(this.got)}`;
  }
}

const own = Object.prototype.hasOwnProperty;

function kindOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'boolean': return 'a boolean';
    case 'number': return 'a number';
    case 'string': return 'a string';
    default: return 'an object';
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function expected(what, got) {
  return new Mismatch(what, got);
}

// Rust's f64 grammar (what `str::parse::<f64>` takes), for numeric strings.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Days since 1970-01-01 (the core's `days_from_civil`). */
function daysFromCivil(y0, m, d) {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.trunc((y >= 0 ? y : y - 399) / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.trunc((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.trunc(yoe / 4) - Math.trunc(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The core's ISO-8601 parser, step for step (the same floating-point operations). */
function parseIso(s) {
  const num = (from, len) => {
    const part = s.slice(from, from + len);
    return part.length === len && /^\d+$/.test(part) ? Number(part) : null;
  };
  const year = num(0, 4);
  if (year === null || s[4] !== '-' || s[7] !== '-') return null;
  const month = num(5, 2);
  const day = num(8, 2);
  if (month === null || day === null || month < 1 || month > 12 || day < 1 || day > 31) return null;
  let secs = daysFromCivil(year, month, day) * 86400;
  let i = 10;
  if (s[10] === 'T' || s[10] === 't' || s[10] === ' ') {
    const hour = num(11, 2);
    if (hour === null || s[13] !== ':') return null;
    const minute = num(14, 2);
    if (minute === null) return null;
    let second = 0;
    i = 16;
    if (s[16] === ':') {
      second = num(17, 2);
      if (second === null) return null;
      i = 19;
    }
    if (hour > 23 || minute > 59 || second > 60) return null;
    secs += hour * 3600 + minute * 60 + second;
    if (s[i] === '.' || s[i] === ',') {
      let end = i + 1;
      while (end < s.length && s[end] >= '0' && s[end] <= '9') end++;
      const digits = s.slice(i + 1, end);
      if (digits === '') return null;
      secs += Number(`0.${digits}`);
      i = end;
    }
  }
  if (i === s.length) return secs;
  const c = s[i];
  if ((c === 'Z' || c === 'z') && i + 1 === s.length) return secs;
  if (c === '+' || c === '-') {
    const hours = num(i + 1, 2);
    if (hours === null) return null;
    const rest = s.slice(i + 3);
    let minutes;
    if (rest.startsWith(':') && rest.length === 3 && /^\d\d$/.test(rest.slice(1))) minutes = Number(rest.slice(1));
    else if (rest.length === 2 && /^\d\d$/.test(rest)) minutes = Number(rest);
    else if (rest === '') minutes = 0;
    else return null;
    const offset = hours * 3600 + minutes * 60;
    return c === '+' ? secs - offset : secs + offset;
  }
  return null;
}

/** A time as the core reads one: a number, a numeric string or an ISO-8601 string. */
export function time(v) {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (DECIMAL.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  } else if (SPECIAL.test(t)) {
    // Rust parses these as non-finite numbers, which are then refused: try ISO (fails).
  }
  return parseIso(t);
}

function isWhole(v) {
  return typeof v === 'number' && Number.isInteger(v) && v >= -9.223372036854775e18 && v < 9.223372036854775e18;
}

/** Decodes `v` (in place where it can) as type `t`; a `Mismatch` if it does not fit. */
function value(t, v) {
  switch (t) {
    case 's': return typeof v === 'string' ? v : expected('a string', v);
    case 'i': return isWhole(v) ? v : expected('a whole number', v);
    case 'n': return typeof v === 'number' ? v : expected('a number', v);
    case 'b': return typeof v === 'boolean' ? v : expected('true or false', v);
    case 't': {
      if (typeof v === 'number') return v;
      const secs = time(v);
      return secs === null ? expected('a time (Unix seconds or an ISO-8601 date-time)', v) : secs;
    }
    case 'a': return v;
    default:
  }
  if (typeof t === 'number') return model(t, v);
  switch (t[0]) {
    case 'l': return list(t[1], v);
    case 'm': {
      if (!isObject(v)) return expected('an object', v);
      for (const k of Object.keys(v)) {
        const x = value(t[1], v[k]);
        if (x instanceof Mismatch) return x.at(`.${k}`);
        v[k] = x;
      }
      return v;
    }
    case 'e': return typeof v === 'string' && t[1].includes(v) ? v : expected('one of its values', v);
    default: return v;
  }
}

function list(t, v) {
  if (!Array.isArray(v)) return expected('a list', v);
  for (let i = 0; i < v.length; i++) {
    const x = value(t, v[i]);
    if (x instanceof Mismatch) return x.at(`[${i}]`);
    v[i] = x;
  }
  return v;
}

/** Whether `v` fits model `m`, without changing it (a union tries a case first). */
function fits(m, v) {
  return model(m, structuredCopy(v)) instanceof Mismatch === false;
}

function structuredCopy(v) {
  if (Array.isArray(v)) return v.map(structuredCopy);
  if (isObject(v)) {
    const out = {};
    for (const k of Object.keys(v)) out[k] = structuredCopy(v[k]);
    return out;
  }
  return v;
}

function model(m, v) {
  const [, fields, tag, cases] = MODELS[m];
  if (!isObject(v)) return expected('an object', v);
  if (fields === null) {
    // A union: the case its tag names, if the value fits it; otherwise kept as it came.
    const kind = v[tag];
    const c = typeof kind === 'string' && own.call(cases, kind) ? cases[kind] : undefined;
    return c !== undefined && fits(c, v) ? model(c, v) : v;
  }
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const name = field[0];
    // JSON.parse never gives `undefined`: an absent field (no field is named like a
    // property of Object.prototype: the generator checks).
    const x = v[name];
    if (x === undefined) {
      if (field[2]) return new Mismatch('missing', undefined).at(`.${name}`);
      v[name] = null;
      continue;
    }
    const t = field[1];
    if (x === null) {
      if (field[2] && t !== 'a') return expected(what(t), x).at(`.${name}`);
      continue;
    }
    const out = value(t, x);
    if (out instanceof Mismatch) return out.at(`.${name}`);
    if (out !== x) v[name] = out;
  }
  return v;
}

function what(t) {
  switch (t) {
    case 's': return 'a string';
    case 'i': return 'a whole number';
    case 'n': return 'a number';
    case 'b': return 'true or false';
    case 't': return 'a time (Unix seconds or an ISO-8601 date-time)';
    default:
  }
  if (typeof t === 'number') return 'an object';
  return t[0] === 'l' ? 'a list' : t[0] === 'e' ? 'one of its values' : 'an object';
}

function missing(keys) {
  return Mismatch.whole(keys.length === 0
    ? 'the response has no `data`'
    : `the response has no ${keys.map((k) => `\`data.${k}\``).join(' or ')}`);
}

// Page metadata, read leniently as the core does.
function lenientString(v) {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number') return String(v);
  return null;
}
function lenientCount(v, max) {
  let n = null;
  if (typeof v === 'number') n = v >= 0 ? Math.trunc(v) : null;
  else if (typeof v === 'string' && /^\+?\d+$/.test(v.trim())) n = Number(v.trim());
  return n !== null && n <= max ? n : null;
}
const U32 = 4294967295;
const U64 = 18446744073709551615;

/**
 * The output of operation number `op` from its parsed body (`json`); a `Mismatch` when the
 * body is not the documented shape.
 */
export function decode(op, json) {
  const [, , , , , , shape, item, keys] = OPERATIONS[op];
  if (!isObject(json)) return Mismatch.whole('the response is not a JSON object');
  if (!own.call(json, 'data')) return missing(keys);
  const data = json.data;
  let v;
  let path;
  if (keys.length === 0) {
    v = data;
    path = 'data';
  } else {
    if (!isObject(data)) return expected('an object', data).at('data');
    const key = keys.find((k) => own.call(data, k));
    if (key === undefined) return missing(keys);
    v = data[key];
    path = `data.${key}`;
  }
  let out;
  if (shape === 0) {
    out = value(item, v);
  } else if (shape === 1) {
    if (Array.isArray(v)) out = list(item, v);
    else if (isObject(v)) {
      const one = value(item, v);
      out = one instanceof Mismatch ? one : [one];
    } else out = expected('a list or an object', v);
  } else {
    out = list(item, v);
  }
  if (out instanceof Mismatch) return out.at(path);
  if (shape !== 2) return out;
  const items = out;
  return {
    items,
    page: lenientCount(json.page, U32),
    limit: lenientCount(json.limit, U32),
    next_page: lenientString(data.next_page),
    after_page: lenientString(json.after_page),
    last_key: lenientString(data.last_key),
    size: lenientCount(data.size, U64),
    total_count: lenientCount(data.total_count, U64),
  };
}
