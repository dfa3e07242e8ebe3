// The table page (/competitions/{id}/table): server-rendered (Pages/Table.cshtml), then repainted from the standings
// document on `standings:{id}` — the same ordering, snapshot and recovery as a match, through the same client.
// A football table reads P W D L Goals GD Pts; a basketball one P W L PF PA +/− Pts (no draws; `goalsFor` and
// `goalsAgainst` carry points scored and conceded). The document's `sport` says which.
import type { MatchState, StandingsRow } from '@scorefeed/client';
import { t, type MessageKey } from '../i18n';
import { find, h } from '../ui/dom';
import type { View } from './scoreboard';

export type TableSport = 'football' | 'basketball';

/** The kind of table a document's sport reads as: basketball's, else football's. */
export const tableSport = (sport: string | undefined): TableSport => (sport === 'basketball' ? 'basketball' : 'football');

/** A column's header: its words spelled out and its abbreviation (the same key for the team column, not abbreviated). */
type Column = [full: MessageKey, short: MessageKey];

const columns: Record<TableSport, Column[]> = {
  football: [
    ['table.position', 'table.pos'], ['table.team', 'table.team'], ['table.played', 'table.playedShort'], ['table.won', 'table.wonShort'],
    ['table.drawn', 'table.drawnShort'], ['table.lost', 'table.lostShort'], ['table.goals', 'table.goalsShort'],
    ['table.goalDifference', 'table.goalDifferenceShort'], ['table.points', 'table.pointsShort'], ['table.form', 'table.formShort'],
  ],
  basketball: [
    ['table.position', 'table.pos'], ['table.team', 'table.team'], ['table.played', 'table.playedShort'], ['table.won', 'table.wonShort'],
    ['table.lost', 'table.lostShort'], ['table.pointsFor', 'table.pointsForShort'], ['table.pointsAgainst', 'table.pointsAgainstShort'],
    ['table.pointsDifference', 'table.pointsDifferenceShort'], ['table.leaguePoints', 'table.pointsShort'], ['table.form', 'table.formShort'],
  ],
};

/** The header's columns of a sport's table, as Pages/Table.cshtml.cs lists them. */
export const standingsColumns = (sport: TableSport): readonly Column[] => columns[sport];

/** The caption's message: it lists the columns. */
export const captionKey = (sport: TableSport): MessageKey => (sport === 'basketball' ? 'table.captionBasketball' : 'table.caption');

/** The cells between the team and the points, as text: `bdi` ones keep their signs and dashes in place in Arabic. */
export function standingsCells(row: StandingsRow, sport: TableSport): { text: string; bdi?: true }[] {
  const difference = row.goalsFor - row.goalsAgainst;
  const signed = { text: `${difference > 0 ? '+' : ''}${difference}`, bdi: true as const };
  return sport === 'basketball'
    ? [...[row.played, row.won, row.lost, row.goalsFor, row.goalsAgainst].map((n) => ({ text: String(n) })), signed]
    : [...[row.played, row.won, row.drawn, row.lost].map((n) => ({ text: String(n) })),
      { text: `${row.goalsFor}–${row.goalsAgainst}`, bdi: true }, signed];
}

/** One row, as Pages/Shared/_StandingsRow.cshtml renders it. */
function standingsRow(row: StandingsRow, sport: TableSport): HTMLTableRowElement {
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
    ...standingsCells(row, sport).map((cell) => h('td', {}, cell.bdi ? h('bdi', {}, cell.text) : cell.text)),
    h('td', { class: 'sf-points' }, String(row.points)),
    form);
}

function headRow(sport: TableSport): HTMLTableRowElement {
  return h('tr', {}, ...standingsColumns(sport).map(([full, short]) => full === short
    ? h('th', { scope: 'col', class: 'sf-team-col' }, t(full))
    : h('th', { scope: 'col' }, h('abbr', { title: t(full) }, t(short)))));
}

/** A whole (football, until a document says otherwise) table as Pages/Table.cshtml renders it; for the widget. */
export function standingsTable(competition: string): HTMLTableElement {
  const sport: TableSport = 'football';
  return h('table', { class: 'sf-standings', 'data-sport': sport, 'data-competition-name': competition },
    h('caption', { class: 'sf-visually-hidden' }, t(captionKey(sport), { competition })), h('thead', {}, headRow(sport)), h('tbody'));
}

/**
 * Repaints a table (`table.sf-standings`, its competition's name in `data-competition-name`) from its standings
 * document: the rows, and its caption and header when the document's sport reads another way than the table shows.
 */
export function paintStandings(table: HTMLTableElement, state: MatchState): void {
  const sport = tableSport(state.sport);
  if (table.dataset.sport !== sport) {
    table.dataset.sport = sport;
    find(table, 'caption')!.textContent = t(captionKey(sport), { competition: table.dataset.competitionName ?? '' });
    find(table, 'thead')!.replaceChildren(headRow(sport));
  }
  find(table, 'tbody')!.replaceChildren(...(state.table?.rows ?? []).map((row) => standingsRow(row, sport)));
}

export function standingsPage(): View {
  const root = document.getElementById('sf-standings')!;
  const documentId = `standings:${root.dataset.competition ?? ''}`;
  const table = find<HTMLTableElement>(root, 'table.sf-standings')!;
  return {
    changed(state: MatchState) {
      if (state.matchId !== documentId || !state.table) {
        return;
      }
      paintStandings(table, state);
      find(root, '.sf-table-scroll')!.hidden = false;
      find(root, '.sf-table-empty')!.hidden = true;
      find(root, '.sf-table-unavailable')!.hidden = true;
      find(root, '.sf-table-live')!.hidden = !state.table.live;
    },
    tick() {},
  };
}
