import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../src/i18n/all';
import { nameOf, problemText } from '../src/operator/api';
import { actionText, describeRequest, fieldName, valueText } from '../src/operator/labels';
import { setLanguage } from '../src/i18n';
import { state } from './fixtures';

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

test('pinned and audited values read as the match shows them: scores, the clock, an incident by its label', () => {
  const match = state(4);
  assert.equal(fieldName('home'), 'home score');
  assert.equal(fieldName('incident:g1'), 'incident g1');
  assert.equal(valueText('home', 2, match), '2');
  assert.equal(valueText('status', undefined, match), '—');
  assert.equal(valueText('incident:g1', null, match), 'none');
  assert.equal(valueText('clock', { seconds: 4025, running: false }, match), '67:05 (stopped)');
  assert.equal(valueText('status', 'final', match), 'final');
  assert.match(valueText('incident:g1', { id: 'g1', type: 'goal', period: 1, seconds: 754, player: 'Okafor' }, match), /Goal – Okafor$/);
});

test('a correction is described by what it changes and why', () => {
  assert.equal(describeRequest({ home: 1, clock: { seconds: 4025 }, incident: { id: 'g1', removed: true }, reason: 'VAR' }),
    'home 1, clock 67:05, remove incident g1 — “VAR”');
  assert.equal(actionText({ action: 'pin-cleared' } as Parameters<typeof actionText>[0]), 'Pin cleared (the feed agreed)');
});

test('the console speaks the page’s language: its own words, lists joined as the language joins them', () => {
  const request = { away: 1, status: 'final', incident: { id: 'g1', removed: true }, reason: 'VAR' };
  try {
    setLanguage('de');
    assert.equal(describeRequest(request), 'Gast 1, Status beendet und Ereignis g1 entfernen – „VAR“');
    assert.equal(fieldName('away'), 'Tore Gast');
    assert.equal(problemText({ status: 429, headers: headers() }, {}), 'Zu viele fehlgeschlagene Anmeldungen. Versuchen Sie es in einigen Sekunden erneut.');
    setLanguage('ar');
    assert.equal(actionText({ action: 'correction' } as Parameters<typeof actionText>[0]), 'تصحيح');
    assert.equal(describeRequest({ home: 2, period: 2, reason: 'خطأ' }), 'صاحب الأرض 2 والفترة 2 — «خطأ»');
  } finally {
    setLanguage('en');
  }
});

test('tennis corrections and pins read as points, games and the server', () => {
  const match = state(4, { sport: 'tennis' });
  assert.equal(fieldName('points'), 'points');
  assert.equal(fieldName('server'), 'server');
  assert.equal(valueText('points', { home: 2, away: 3 }, match), '2–3');
  assert.equal(valueText('games', { home: 4, away: 3 }, match), '4–3');
  assert.equal(valueText('server', 'away', match), 'away');
  assert.equal(describeRequest({ tennis: { points: { home: 3, away: 3 }, games: { home: 5, away: 4 }, server: 'home' }, reason: 'umpire' }),
    'points 3–3, games 5–4, server home — “umpire”');
});
