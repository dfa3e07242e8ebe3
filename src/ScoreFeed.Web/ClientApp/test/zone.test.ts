// Times in the viewer's zone, written as the server writes them (tests/ScoreFeed.UnitTests/MatchViewTests.cs has the
// same cases). Node's test runner runs each file in its own process, so this file's zone is its own.
process.env.TZ = 'Asia/Kolkata';

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isToday } from '../src/ui/clock';
import { kickoff, zoneLabel, zoneName } from '../src/ui/zone';
import { state } from './fixtures';

const utc = (iso: string): number => Date.parse(iso);

test('zone labels are UTC itself, or the offset from Greenwich in hours and minutes', () => {
  assert.equal(zoneLabel('UTC', 0), 'UTC');
  assert.equal(zoneLabel('Etc/UTC', 0), 'UTC');
  assert.equal(zoneLabel('Europe/London', 0), 'GMT');
  assert.equal(zoneLabel('Europe/Madrid', 60), 'GMT+1');
  assert.equal(zoneLabel('Asia/Kolkata', 330), 'GMT+5:30');
  assert.equal(zoneLabel('Asia/Kathmandu', 345), 'GMT+5:45');
  assert.equal(zoneLabel('America/Sao_Paulo', -180), 'GMT-3');
  assert.equal(zoneLabel('America/St_Johns', -210), 'GMT-3:30');
});

test("kick-off times are the viewer's, with the zone, and the day when it is not today", () => {
  const now = utc('2026-12-03T10:00:00Z'); // 15:30 in Kolkata
  assert.equal(kickoff(utc('2026-12-03T15:00:00Z'), now, 'Asia/Kolkata'), '20:30 GMT+5:30');
  // 19:00 UTC on the 3rd is 00:30 on Friday the 4th in Kolkata.
  assert.equal(kickoff(utc('2026-12-03T19:00:00Z'), now, 'Asia/Kolkata'), 'Fri 00:30 GMT+5:30');
  assert.equal(zoneName('Asia/Kolkata', now), 'Asia/Kolkata (GMT+5:30)');
});

test("today is the viewer's calendar day, and a match in play is always today", () => {
  const now = utc('2026-12-03T10:00:00Z'); // Thursday 15:30 in Kolkata
  assert.ok(isToday(state(1, { status: 'scheduled', startsAt: utc('2026-12-03T18:00:00Z') }), now)); // 23:30 Thu
  assert.ok(!isToday(state(1, { status: 'scheduled', startsAt: utc('2026-12-03T18:45:00Z') }), now)); // 00:15 Fri
  assert.ok(isToday(state(1, { status: 'final', startsAt: utc('2026-12-02T18:45:00Z') }), now)); // 00:15 Thu
  assert.ok(!isToday(state(1, { status: 'final', startsAt: utc('2026-12-02T18:00:00Z') }), now)); // 23:30 Wed
  assert.ok(isToday(state(1, { status: 'live', startsAt: utc('2026-12-01T18:00:00Z') }), now));
});
