// The table page (/competitions/{id}/table): server-rendered (Pages/Table.cshtml), then repainted from the standings
// document on `standings:{id}` — the same ordering, snapshot and recovery as a match, through the same client.
import type { MatchState, StandingsRow } from '@scorefeed/client';
import { t, type MessageKey } from '../i18n';
import { find, h } from '../ui/dom';
import type { View } from './scoreboard';

/** One row, as Pages/Shared/_StandingsRow.cshtml renders it. */
export function standingsRow(row: StandingsRow): HTMLTableRowElement {
  const difference = row.goalsFor - row.goalsAgainst;
  const team = h('th', { scope: 'row', class: 'sf-team-col' }, row.name);
  if (row.live) {
    team.append(h('span', { class: 'sf-live-dot', role: 'img', 'aria-label': t('table.liveRow') }));
  }
  const form = h('td', { class: 'sf-form' });
  for (const result of row.form) {
    form.append(h('span', { class: `sf-form-${result}`, 'aria-hidden': 'true' }, result),
      h('span', { class: 'sf-visually-hidden' }, t(`table.form${result}` as MessageKey)));
  }
  return h('tr', row.live ? { 'data-team': row.teamId, class: 'sf-row-live' } : { 'data-team': row.teamId },
    h('td', {}, String(row.position)), team,
    ...[row.played, row.won, row.drawn, row.lost].map((n) => h('td', {}, String(n))),
    h('td', {}, h('bdi', {}, `${row.goalsFor}–${row.goalsAgainst}`)),
    h('td', {}, h('bdi', {}, `${difference > 0 ? '+' : ''}${difference}`)),
    h('td', { class: 'sf-points' }, String(row.points)),
    form);
}

const columns: [MessageKey, MessageKey][] = [
  ['table.position', 'table.pos'], ['table.team', 'table.team'], ['table.played', 'table.playedShort'], ['table.won', 'table.wonShort'],
  ['table.drawn', 'table.drawnShort'], ['table.lost', 'table.lostShort'], ['table.goals', 'table.goalsShort'],
  ['table.goalDifference', 'table.goalDifferenceShort'], ['table.points', 'table.pointsShort'], ['table.form', 'table.formShort'],
];

/** A whole table (caption, header row, body) as Pages/Table.cshtml renders it; for the widget. */
export function standingsTable(caption: string): { table: HTMLTableElement; rows: HTMLTableSectionElement } {
  const rows = h('tbody');
  const head = h('tr', {}, ...columns.map(([full, short]) => full === short
    ? h('th', { scope: 'col', class: 'sf-team-col' }, t(full))
    : h('th', { scope: 'col' }, h('abbr', { title: t(full) }, t(short)))));
  return { table: h('table', { class: 'sf-standings' }, h('caption', { class: 'sf-visually-hidden' }, caption), h('thead', {}, head), rows), rows };
}

export function standingsPage(): View {
  const root = document.getElementById('sf-standings')!;
  const documentId = `standings:${root.dataset.competition ?? ''}`;
  const body = find<HTMLTableSectionElement>(root, 'tbody')!;
  return {
    changed(state: MatchState) {
      if (state.matchId !== documentId || !state.table) {
        return;
      }
      body.replaceChildren(...state.table.rows.map(standingsRow));
      find(root, '.sf-table-scroll')!.hidden = false;
      find(root, '.sf-table-empty')!.hidden = true;
      find(root, '.sf-table-unavailable')!.hidden = true;
      find(root, '.sf-table-live')!.hidden = !state.table.live;
    },
    tick() {},
  };
}
