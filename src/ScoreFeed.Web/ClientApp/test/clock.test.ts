import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerClock, clockSeconds, formatClock } from '@scorefeed/client';
import {
  clockText,
  competitionName,
  incidentLabel,
  incidentTime,
  listOrder,
  periodLabel,
  statusLabel,
} from '../src/ui/clock';
import { state } from './fixtures';

test('a running football clock counts up from the time it was set', () => {
  const clock = { running: true, seconds: 2700, at: 1_000_000 };
  assert.equal(clockSeconds(clock, 'football', 1_000_000), 2700);
  assert.equal(clockSeconds(clock, 'football', 1_061_999), 2761);
  assert.equal(clockSeconds(clock, 'football', 999_000), 2700, 'a local clock behind the server does not run backwards');
});

test('a running basketball clock counts down and stops at zero', () => {
  const clock = { running: true, seconds: 30, at: 0 };
  assert.equal(clockSeconds(clock, 'basketball', 10_500), 20);
  assert.equal(clockSeconds(clock, 'basketball', 90_000), 0);
});

test('a stopped clock shows what it was set to', () => {
  assert.equal(clockSeconds({ running: false, seconds: 2700, at: 0 }, 'football', 999_999), 2700);
});

test('clocks read minutes and seconds, also past 90 minutes', () => {
  assert.equal(formatClock(0), '0:00');
  assert.equal(formatClock(65), '1:05');
  assert.equal(formatClock(6192), '103:12');
});

test('only matches in play show a clock', () => {
  const live = state(1, { clock: { running: true, seconds: 60, at: 0 } });
  assert.equal(clockText(live, 5_000), '1:05');
  assert.equal(clockText({ ...live, status: 'final' }, 5_000), '');
  assert.equal(clockText({ ...live, status: 'scheduled' }, 5_000), '');
});

test('status chips and periods in words', () => {
  assert.equal(statusLabel('live', 'football', 2), 'Live');
  assert.equal(statusLabel('paused', 'football', 1), 'Half-time');
  assert.equal(statusLabel('paused', 'basketball', 2), 'Break');
  assert.equal(statusLabel('final', 'football', 2), 'Full time');
  assert.equal(statusLabel('scheduled', 'football', 0), 'Upcoming');
  assert.equal(periodLabel('football', 2), '2nd half');
  assert.equal(periodLabel('football', 5), 'Penalties');
  assert.equal(periodLabel('basketball', 3), 'Q3');
  assert.equal(periodLabel('basketball', 6), 'OT2');
  assert.equal(periodLabel('football', 0), '');
});

test('incidents read like a sports app', () => {
  assert.equal(incidentTime('football', { id: 'g', type: 'goal', period: 1, seconds: 1334 }), "23'");
  assert.equal(incidentTime('basketball', { id: 'p', type: 'points', period: 2, seconds: 252 }), 'Q2 4:12');
  assert.equal(incidentLabel('basketball', { id: 'p', type: 'points', period: 2, seconds: 0, points: 3 }), '3 points');
  assert.equal(incidentLabel('basketball', { id: 'p', type: 'points', period: 2, seconds: 0, points: 1 }), 'Free throw');
  assert.equal(incidentLabel('football', { id: 's', type: 'period-start', period: 2, seconds: 2700 }), 'Start of 2nd half');
  assert.equal(incidentLabel('football', { id: 'o', type: 'own-goal', period: 1, seconds: 0 }), 'Own goal');
  assert.equal(incidentLabel('football', { id: 'x', type: 'var-check', period: 1, seconds: 0 }), 'var-check');
});

test('competition names come from configuration, else from the id', () => {
  assert.equal(competitionName('sim-euro-basket'), 'Sim Euro Basket');
  assert.equal(competitionName('sim-liga', { 'sim-liga': 'La Liga (sim)' }), 'La Liga (sim)');
});

test('lists put matches in play first, then upcoming, then the rest, each by start time', () => {
  const matches = [
    state(1, { matchId: 'done', status: 'final', startsAt: 1 }),
    state(1, { matchId: 'later', status: 'scheduled', startsAt: 9 }),
    state(1, { matchId: 'soon', status: 'scheduled', startsAt: 5 }),
    state(1, { matchId: 'ht', status: 'paused', startsAt: 3 }),
    state(1, { matchId: 'live', status: 'live', startsAt: 2 }),
  ];
  assert.deepEqual(matches.sort(listOrder).map((m) => m.matchId), ['live', 'ht', 'soon', 'later', 'done']);
});

test("the server's clock is estimated from the newest publish times, never ahead of them", () => {
  let local = 1_000;
  const clock = new ServerClock(() => local);
  assert.equal(clock.now(), 1_000);
  clock.sample(61_000); // the server is a minute ahead of us (and the update took no time)
  local = 2_000;
  clock.sample(61_500); // an update that took 500 ms: a smaller sample, the estimate keeps the larger
  assert.equal(clock.now(), 62_000);
});
