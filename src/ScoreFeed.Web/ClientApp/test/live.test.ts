import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../src/i18n/all';
import { setLanguage } from '../src/i18n';
import { scoredText } from '../src/ui/live';
import { state } from './fixtures';

const football = state(2, { home: { id: 'h', name: 'Home Town', score: 1 } });
const tennis = state(9, {
  sport: 'tennis',
  period: 3,
  home: { id: 'h', name: 'Lena Kowalczyk', score: 1 },
  away: { id: 'a', name: 'Ana Ferreira', score: 1 },
  tennis: { bestOf: 3, sets: [{ home: 6, away: 4 }, { home: 3, away: 6 }, { home: 0, away: 0 }], points: { home: 0, away: 0 }, server: 'away' },
});

test('a football side that scored is announced as a goal', () => {
  assert.equal(scoredText(football, 'home'), 'Home Town scored. Home Town 1, Away City 0.');
  assert.equal(scoredText(football, 'home', 'say.goalFor'), 'Goal for Home Town. Home Town 1, Away City 0.');
});

test('a tennis side whose score went up won a set, and is announced so with the sets, not as having scored', () => {
  assert.equal(scoredText(tennis, 'away'), 'Ana Ferreira wins the set. Sets: Lena Kowalczyk 1, Ana Ferreira 1.');
  assert.equal(scoredText(tennis, 'away', 'say.goalFor'), 'Ana Ferreira wins the set. Sets: Lena Kowalczyk 1, Ana Ferreira 1.');
});

test('a set won is announced in the page language', () => {
  setLanguage('de');
  try {
    assert.equal(scoredText(tennis, 'home'), 'Lena Kowalczyk gewinnt den Satz. Sätze: Lena Kowalczyk 1, Ana Ferreira 1.');
  } finally {
    setLanguage('en');
  }
});
