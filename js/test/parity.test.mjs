// The client's methods are the core's operation list, one to one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Avochato } from '../dist/node/index.mjs';
import { root } from './helpers.mjs';

const reference = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/avochato-v1.json'), 'utf8'));
const client = new Avochato({ authId: 'id', authSecret: 'secret-value', baseUrl: 'http://127.0.0.1:9' });

test('Avochato.operations() is the core list of the documented operations', () => {
  const ops = Avochato.operations();
  assert.equal(ops.length, reference.operations.length);
  assert.deepEqual(new Set(ops.map((o) => o.title)), new Set(reference.operations.map((o) => o.title)));
  for (const doc of reference.operations) {
    const op = ops.find((o) => o.title === doc.title);
    assert.equal(op.httpMethod, doc.method, doc.title);
    assert.equal(op.path, doc.path, doc.title);
  }
  assert.equal(new Set(ops.map((o) => `${o.resource}.${o.method}`)).size, reference.operations.length);
});

test('every operation is a method of the client under its camelCase name', () => {
  for (const op of Avochato.operations()) {
    assert.equal(typeof client[op.resource]?.[op.method], 'function', `${op.resource}.${op.method}`);
    const camel = op.rustMethod.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.equal(op.method, camel, `${op.rustMethod} in camelCase`);
  }
});

test('no public resource method is missing from the list', () => {
  const ops = Avochato.operations();
  const resources = new Set(ops.map((o) => o.resource));
  const getters = Object.entries(Object.getOwnPropertyDescriptors(Avochato.prototype))
    .filter(([, d]) => typeof d.get === 'function')
    .map(([name]) => name);
  assert.deepEqual(new Set(getters), resources);
  for (const resource of resources) {
    const proto = Object.getPrototypeOf(client[resource]);
    const methods = Object.getOwnPropertyNames(proto).filter(
      (n) => typeof proto[n] === 'function' && !n.startsWith('__') && !['constructor', 'free', 'iter'].includes(n),
    );
    const listed = ops.filter((o) => o.resource === resource).map((o) => o.method);
    assert.deepEqual(new Set(methods), new Set(listed), resource);
  }
});
