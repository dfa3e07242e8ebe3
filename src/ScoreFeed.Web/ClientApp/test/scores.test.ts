import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../src/i18n/all';
import { incidentLabel, incidentTime, periodLabel, statusLabel } from '../src/ui/clock';
import type { TennisScore } from '@scorefeed/client';
import { setLanguage } from '../src/i18n';
import { gamePoints, isTieBreak, lineTable } from '../src/ui/scores';
import { state } from './fixtures';

function tennis(overrides: Partial<TennisScore> = {}): TennisScore {
  return { bestOf: 3, sets: [{ home: 4, away: 3 }], points: { home: 0, away: 0 }, server: 'home', ...overrides };
}

test('game points read 0, 15, 30, 40', () => {
  assert.deepEqual(gamePoints(tennis({ points: { home: 0, away: 0 } })), ['0', '0']);
  assert.deepEqual(gamePoints(tennis({ points: { home: 1, away: 2 } })), ['15', '30']);
  assert.deepEqual(gamePoints(tennis({ points: { home: 3, away: 1 } })), ['40', '15']);
});

test('from 40–40 equal points are deuce and one ahead is advantage', () => {
  assert.deepEqual(gamePoints(tennis({ points: { home: 3, away: 3 } })), ['40', '40']);
  assert.deepEqual(gamePoints(tennis({ points: { home: 5, away: 5 } })), ['40', '40']);
  assert.deepEqual(gamePoints(tennis({ points: { home: 4, away: 3 } })), ['AD', '40']);
  assert.deepEqual(gamePoints(tennis({ points: { home: 6, away: 7 } })), ['40', 'AD']);
});

test('at 6–6 the game is a tie-break and its points show as counts', () => {
  const score = tennis({ sets: [{ home: 6, away: 4 }, { home: 6, away: 6 }], points: { home: 5, away: 4 } });
  assert.ok(isTieBreak(score));
  assert.deepEqual(gamePoints(score), ['5', '4']);
});

test('advantage is said in the page language', () => {
  setLanguage('fr');
  try {
    assert.deepEqual(gamePoints(tennis({ points: { home: 4, away: 3 } })), ['AV', '40']);
  } finally {
    setLanguage('en');
  }
});

test('a tennis match in play shows its sets in columns, the game points and who serves', () => {
  const table = lineTable(state(1, {
    sport: 'tennis',
    period: 2,
    tennis: tennis({ sets: [{ home: 6, away: 7, tieBreak: { home: 5, away: 7 } }, { home: 4, away: 3 }], points: { home: 2, away: 3 }, server: 'away' }),
  }))!;
  assert.equal(table.kind, 'tennis');
  assert.deepEqual(table.heads, ['1', '2', 'Game']);
  const [home, away] = table.rows;
  assert.deepEqual(home!.cells, [{ text: '6', tieBreak: '5' }, { text: '4' }, { text: '30', kind: 'game' }]);
  assert.deepEqual(away!.cells, [{ text: '7', won: true }, { text: '3' }, { text: '40', kind: 'game' }]);
  assert.equal(home!.serving, false);
  assert.equal(away!.serving, true);
});

test('a finished tennis match marks every set won and shows no game or server', () => {
  const table = lineTable(state(1, { sport: 'tennis', status: 'final', tennis: tennis({ sets: [{ home: 6, away: 3 }, { home: 7, away: 5 }] }) }))!;
  assert.deepEqual(table.heads, ['1', '2']);
  assert.deepEqual(table.rows[0]!.cells, [{ text: '6', won: true }, { text: '7', won: true }]);
  assert.equal(table.rows[0]!.serving, false);
});

test('a football line score has the halves, extra time, penalties and the total', () => {
  const table = lineTable(state(1, {
    home: { id: 'h', name: 'Home Town', score: 2 },
    away: { id: 'a', name: 'Away City', score: 2 },
    status: 'final',
    lines: { periods: [{ home: 1, away: 0 }, { home: 0, away: 1 }], extraTime: { home: 1, away: 1 }, penalties: { home: 4, away: 3 } },
  }))!;
  assert.equal(table.kind, 'lines');
  assert.deepEqual(table.heads, ['1', '2', 'ET', 'Pens', 'T']);
  assert.deepEqual(table.rows[0]!.cells.map((c) => c.text), ['1', '0', '1', '4', '2']);
  assert.deepEqual(table.rows[1]!.cells.map((c) => c.text), ['0', '1', '1', '3', '2']);
});

test('a basketball line score names quarters and overtimes', () => {
  const periods = [1, 2, 3, 4, 5].map((n) => ({ home: 20 + n, away: 18 + n }));
  const table = lineTable(state(1, { sport: 'basketball', period: 5, lines: { periods } }))!;
  assert.deepEqual(table.heads, ['Q1', 'Q2', 'Q3', 'Q4', 'OT1', 'T']);
});

test('no table before the start, or without a line score', () => {
  assert.equal(lineTable(state(1, { status: 'scheduled', lines: { periods: [{ home: 0, away: 0 }] } })), undefined);
  assert.equal(lineTable(state(1)), undefined);
  assert.equal(lineTable(state(1, { sport: 'tennis' })), undefined);
});

test('tennis periods are sets, not halves', () => {
  assert.equal(periodLabel('tennis', 2), 'Set 2');
  assert.equal(statusLabel('final', 'tennis', 3), 'Finished');
  assert.equal(incidentTime('tennis', { id: 'i', type: 'period-end', period: 1, seconds: 2400 }), 'Set 1');
  assert.equal(incidentLabel('tennis', { id: 'i', type: 'period-end', period: 1, seconds: 2400 }), 'End of Set 1');
  assert.equal(incidentLabel('tennis', { id: 'i', type: 'retirement', period: 2, seconds: 3000, team: 'home' }), 'Retirement');
});
