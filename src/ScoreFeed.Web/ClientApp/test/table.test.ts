import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../src/i18n/all';
import type { StandingsRow } from '@scorefeed/client';
import { setLanguage, t } from '../src/i18n';
import { captionKey, standingsCells, standingsColumns, tableSport } from '../src/pages/table';

const row: StandingsRow = {
  position: 1, teamId: 't1', name: 'Harbor City Hawks', played: 3, won: 2, drawn: 0, lost: 1,
  goalsFor: 251, goalsAgainst: 240, points: 5, form: 'WLW', live: false,
};

test('a basketball document reads as a basketball table, any other sport as football', () => {
  assert.equal(tableSport('basketball'), 'basketball');
  assert.equal(tableSport('football'), 'football');
  assert.equal(tableSport(undefined), 'football');
});

test('a basketball table has no drawn column, points for and against apart, and +/− for their difference', () => {
  setLanguage('en');
  const shorts = standingsColumns('basketball').map(([, short]) => t(short));
  assert.deepEqual(shorts, ['#', 'Team', 'P', 'W', 'L', 'PF', 'PA', '+/−', 'Pts', 'Form']);
  assert.deepEqual(standingsCells(row, 'basketball'), [
    { text: '3' }, { text: '2' }, { text: '1' }, { text: '251' }, { text: '240' }, { text: '+11', bdi: true },
  ]);
  assert.match(t(captionKey('basketball'), { competition: 'Hoops' }), /^Hoops table: .*points for, points against/);
});

test('a football table keeps its drawn column, goals for–against and goal difference', () => {
  setLanguage('en');
  assert.deepEqual(standingsColumns('football').map(([, short]) => t(short)), ['#', 'Team', 'P', 'W', 'D', 'L', 'Goals', 'GD', 'Pts', 'Form']);
  assert.deepEqual(standingsCells({ ...row, drawn: 1, goalsFor: 4, goalsAgainst: 6 }, 'football').map((c) => c.text), ['3', '2', '1', '1', '4–6', '-2']);
});

test('both tables have their header words, spelled out and abbreviated, in every language', () => {
  for (const language of ['en', 'es', 'de', 'fr', 'ar'] as const) {
    setLanguage(language);
    for (const sport of ['football', 'basketball'] as const) {
      for (const [full, short] of standingsColumns(sport)) {
        assert.ok(t(full).trim() && t(short).trim() && t(full) !== full, `${language} ${sport}: ${full}`);
      }
    }
  }
  setLanguage('en');
});
