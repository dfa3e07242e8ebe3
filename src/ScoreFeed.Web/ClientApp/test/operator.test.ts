import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameOf, problemText } from '../src/operator/api';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name] ?? null });

test('the console shows the name claim of its token, and a fallback for anything else', () => {
  const payload = Buffer.from(JSON.stringify({ name: 'alice', role: 'operator' })).toString('base64url');
  assert.equal(nameOf(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 'alice');
  assert.equal(nameOf('not a token'), 'operator');
});

test('problems read as sentences: fields named, limits with their wait, roles refused', () => {
  assert.equal(problemText({ status: 400, headers: headers() }, { errors: { reason: ['is required'] } }), 'reason: is required');
  assert.equal(problemText({ status: 429, headers: headers({ 'Retry-After': '42' }) }, {}), 'Too many failed sign-ins. Try again in 42 seconds.');
  assert.equal(problemText({ status: 403, headers: headers() }, undefined), 'Your account may not do this.');
  assert.equal(problemText({ status: 401, headers: headers() }, { detail: 'Wrong user name or password.' }), 'Wrong user name or password.');
  assert.equal(problemText({ status: 404, headers: headers() }, { detail: "No match 'x'." }), "No match 'x'.");
  assert.equal(problemText({ status: 500, headers: headers() }, undefined), 'The request failed (500).');
});
