// What a score is made of beyond home–away: a football or basketball line score (`lines`) and a tennis score
// (`tennis`: sets in columns, the current game's points, who serves). The C# twin for server-rendered pages is
// src/ScoreFeed.Web/Pages/LineScoreView.cs (markup: Pages/Shared/_LineScore.cshtml): keep both in step.
import { periodLabel } from './clock';
import { isInPlay, type MatchState, type ScorePair, type TennisScore } from '@scorefeed/client';
import { t } from '../i18n';
import { find, h } from './dom';

type Side = 'home' | 'away';

/** One cell: a period's or a set's score, the tie-break's points of the set's loser, the current game's points. */
export interface LineCell {
  text: string;
  tieBreak?: string;
  /** The side won this finished set. */
  won?: boolean;
  kind?: 'game' | 'total';
}

export interface LineRow {
  side: Side;
  name: string;
  serving: boolean;
  cells: LineCell[];
}

export interface LineTable {
  kind: 'tennis' | 'lines';
  caption: string;
  heads: string[];
  rows: LineRow[];
}

/** The current set stands at 6–6: its game is a tie-break, counted in plain points. */
export function isTieBreak(tennis: TennisScore): boolean {
  const set = tennis.sets[tennis.sets.length - 1];
  return !!set && set.home === 6 && set.away === 6;
}

/** The current game's points as fans read them: `0 15 30 40`, deuce `40–40`, advantage `AD–40`; tie-breaks as counts. */
export function gamePoints(tennis: TennisScore): [string, string] {
  const { home, away } = tennis.points;
  if (isTieBreak(tennis)) {
    return [String(home), String(away)];
  }
  if (home >= 3 && away >= 3) {
    return home === away ? ['40', '40'] : home > away ? [t('tennis.advantage'), '40'] : ['40', t('tennis.advantage')];
  }
  const calls = ['0', '15', '30', '40'];
  return [calls[Math.min(home, 3)]!, calls[Math.min(away, 3)]!];
}

function tennisTable(state: MatchState, tennis: TennisScore): LineTable {
  const inPlay = isInPlay(state.status);
  const points = gamePoints(tennis);
  const row = (side: Side, index: number): LineRow => {
    const other: Side = side === 'home' ? 'away' : 'home';
    const cells: LineCell[] = tennis.sets.map((set, i) => {
      const finished = !inPlay || i < tennis.sets.length - 1;
      const cell: LineCell = { text: String(set[side]) };
      if (set.tieBreak && set[side] < set[other]) {
        cell.tieBreak = String(set.tieBreak[side]);
      }
      if (finished && set[side] > set[other]) {
        cell.won = true;
      }
      return cell;
    });
    if (inPlay) {
      cells.push({ text: points[index]!, kind: 'game' });
    }
    return { side, name: state[side].name, serving: inPlay && tennis.server === side, cells };
  };
  const heads = tennis.sets.map((_, i) => String(i + 1));
  if (inPlay) {
    heads.push(t('lines.game'));
  }
  return { kind: 'tennis', caption: t('lines.bySet'), heads, rows: [row('home', 0), row('away', 1)] };
}

/** The table a match's page and widget show under the score, or undefined when the match has none. */
export function lineTable(state: MatchState): LineTable | undefined {
  if (state.status === 'scheduled' || state.status === 'postponed' || state.status === 'cancelled') {
    return undefined;
  }
  if (state.sport === 'tennis') {
    return state.tennis && state.tennis.sets.length > 0 ? tennisTable(state, state.tennis) : undefined;
  }
  const lines = state.lines;
  if (!lines || lines.periods.length === 0) {
    return undefined;
  }
  const columns: [string, ScorePair][] = lines.periods.map((pair, i) => [state.sport === 'basketball' ? periodLabel('basketball', i + 1) : String(i + 1), pair]);
  if (lines.extraTime) {
    columns.push([t('lines.extraTime'), lines.extraTime]);
  }
  if (lines.penalties) {
    columns.push([t('lines.penalties'), lines.penalties]);
  }
  const row = (side: Side): LineRow => ({
    side,
    name: state[side].name,
    serving: false,
    cells: [...columns.map(([, pair]) => ({ text: String(pair[side]) })), { text: String(state[side].score), kind: 'total' as const }],
  });
  return { kind: 'lines', caption: t('lines.byPeriod'), heads: [...columns.map(([head]) => head), t('lines.total')], rows: [row('home'), row('away')] };
}

function serveMarker(): HTMLElement {
  return h('span', { class: 'sf-serve', part: 'serve' }, h('span', { 'aria-hidden': 'true' }, '●'), h('span', { class: 'sf-visually-hidden' }, t('tennis.serving')));
}

/** A cell's classes: its kind (game points, total) or `plain`, and `sf-won` on a finished set's winner. */
function cellClass(value: LineCell, plain: string): string {
  return [value.kind ? `sf-lines-${value.kind}` : plain, value.won ? 'sf-won' : ''].filter(Boolean).join(' ');
}

function cell(tag: 'td' | 'span', value: LineCell, plain: string): HTMLElement {
  const className = cellClass(value, plain);
  const element = h(tag, className ? { class: className } : {}, value.text);
  if (value.tieBreak) {
    element.append(h('sup', { class: 'sf-tb' }, value.tieBreak));
  }
  return element;
}

/** Fills a `table.sf-lines` (part="line-score") from the state; hides it when the match has no line score. */
export function renderLines(table: HTMLElement | null, state: MatchState): void {
  if (!table) {
    return;
  }
  const model = lineTable(state);
  const key = model ? JSON.stringify(model) : '';
  if (table.dataset.key === key && table.childElementCount > 0 === !!model) {
    return;
  }
  table.dataset.key = key;
  table.hidden = !model;
  if (!model) {
    table.replaceChildren();
    return;
  }
  table.dataset.kind = model.kind;
  table.replaceChildren(
    h('caption', { class: 'sf-visually-hidden' }, model.caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, h('span', { class: 'sf-visually-hidden' }, t(model.kind === 'tennis' ? 'lines.player' : 'lines.team'))),
      ...model.heads.map((head) => h('th', { scope: 'col' }, head)))),
    h('tbody', {}, ...model.rows.map((row) => h('tr', { 'data-side': row.side },
      h('th', { scope: 'row' }, h('span', { class: 'sf-lines-name' }, row.name), ...(row.serving ? [serveMarker()] : [])),
      ...row.cells.map((c) => cell('td', c, ''))))));
}

/** A scoreboard card of a tennis match: each side's games per set, the game's points and the serving marker. */
export function renderCardSets(card: HTMLElement, state: MatchState): void {
  const model = state.sport === 'tennis' ? lineTable(state) : undefined;
  for (const side of ['home', 'away'] as const) {
    const row = model?.rows.find((r) => r.side === side);
    const slot = find(card, `.sf-${side} .sf-sets`);
    const key = row ? JSON.stringify(row) : '';
    if (slot?.dataset.key === key || (!slot && !row)) {
      continue;
    }
    const sets = h('span', { class: 'sf-sets', part: 'sets', 'data-key': key },
      ...(row?.serving ? [serveMarker()] : []),
      ...(row?.cells ?? []).map((c) => cell('span', c, 'sf-set')));
    if (slot) {
      slot.replaceWith(sets);
    } else {
      find(card, `.sf-${side} .sf-score`)?.before(sets);
    }
  }
}
