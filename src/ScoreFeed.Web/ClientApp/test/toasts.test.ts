import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident } from '@scorefeed/client';
import { matchEvents } from '../src/ui/toasts';
import { state } from './fixtures';

const goal: Incident = { id: 'g1', type: 'goal', period: 1, seconds: 1334, team: 'home', player: 'Okafor' };
const red: Incident = { id: 'r1', type: 'red-card', period: 2, seconds: 3000, team: 'away', player: 'Berg' };

test('a goal, a red card, a disallowed goal and the final whistle each make one event, in order', () => {
  const start = state(1, { incidents: [] });
  const scored = state(2, { home: { id: 'h', name: 'Home Town', score: 1 }, incidents: [goal] });
  assert.deepEqual(matchEvents(scored, start), ["Goal! Home Town 1–0 Away City. Okafor (Home Town) 23'"]);

  const sentOff = state(3, { home: { id: 'h', name: 'Home Town', score: 1 }, incidents: [goal, red] });
  assert.deepEqual(matchEvents(sentOff, scored), ["Red card: Berg (Away City) 51'"]);

  const disallowed = state(4, { incidents: [red] });
  assert.deepEqual(matchEvents(disallowed, sentOff), ['Goal disallowed (Home Town). Home Town 0–0 Away City']);

  const final = state(5, { status: 'final', incidents: [red] });
  assert.deepEqual(matchEvents(final, disallowed), ['Full time: Home Town 0–0 Away City']);
  assert.deepEqual(matchEvents(final, final), []);
});

test('nothing is told when the earlier timeline is unknown or the epoch changed (a re-snapshot is not news)', () => {
  const scored = state(2, { home: { id: 'h', name: 'Home Town', score: 1 }, incidents: [goal] });
  assert.deepEqual(matchEvents(scored, undefined), []);
  assert.deepEqual(matchEvents(scored, state(1, { incidents: null })), []);
  assert.deepEqual(matchEvents(scored, state(1, { epoch: 'e0', incidents: [] })), []);
});

test('a goal disallowed that the page never held (a list without timelines) is told from the score', () => {
  const before = state(7, { home: { id: 'h', name: 'Home Town', score: 2 }, incidents: [] });
  const after = state(8, { home: { id: 'h', name: 'Home Town', score: 1 }, incidents: [] });
  assert.deepEqual(matchEvents(after, before), ['Goal disallowed (Home Town). Home Town 1–0 Away City']);
});

test('a tennis match finishes, it has no full time', () => {
  const live = state(1, { sport: 'tennis', home: { id: 'h', name: 'Lena Kowalczyk', score: 1 }, away: { id: 'a', name: 'Ana Ferreira', score: 1 } });
  const won = { ...live, seq: 2, status: 'final' as const, home: { ...live.home, score: 2 } };
  assert.deepEqual(matchEvents(won, live), ['Finished: Lena Kowalczyk 2–1 Ana Ferreira']);
});
