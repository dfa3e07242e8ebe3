// The correction form of the match shown: its markup, filling it from a state, and reading back the correction it
// asks for — only what differs from the state it was filled from, whose seq is sent as expectedSeq.
import type { Incident, MatchState, MatchStatus, Sport } from '@scorefeed/client';
import { byId, find, h } from '../ui/dom';
import type { CorrectionRequest } from './api';
import { incidentText, statusValue } from './labels';
import { ot, type OperatorKey } from './words';

const statuses: MatchStatus[] = ['scheduled', 'live', 'paused', 'final', 'postponed', 'cancelled'];

/** What the form tells the match detail. */
export interface FormEvents {
  submit(): void;
  /** Any value changed: from then on the form keeps its values until applied or reset. */
  edited(): void;
  /** The clock or its running box changed: only then is the clock sent. */
  clockEdited(): void;
  /** "Reset to current values". */
  reset(): void;
}

export function correctionForm(events: FormEvents): HTMLFormElement {
  const statusOptions = statuses.map((s) => h('option', { value: s }, statusValue(s)));
  const form = h('form', { id: 'op-correct', class: 'op-form', novalidate: '' },
    h('fieldset', {},
      h('legend', {}, ot('op.correct')),
      h('p', { id: 'op-base', class: 'op-base' }),
      h('div', { class: 'op-grid' },
        field('op-home', 'op.homeScore', h('input', { id: 'op-home', type: 'number', min: '0', max: '999', inputmode: 'numeric' })),
        field('op-away', 'op.awayScore', h('input', { id: 'op-away', type: 'number', min: '0', max: '999', inputmode: 'numeric' })),
        field('op-status', 'op.status', h('select', { id: 'op-status' }, ...statusOptions)),
        field('op-period', 'op.period', h('input', { id: 'op-period', type: 'number', min: '0', max: '20', inputmode: 'numeric' })),
        field('op-clock', 'op.clockField', h('input', { id: 'op-clock', inputmode: 'numeric', pattern: '[0-9]{1,3}:[0-5][0-9]', 'aria-describedby': 'op-clock-hint' })),
        h('p', { class: 'op-check' }, h('input', { id: 'op-running', type: 'checkbox' }), h('label', { for: 'op-running' }, ot('op.clockBox')))),
      h('p', { id: 'op-clock-hint', class: 'op-hint' }, ot('op.clockHint')),
      tennisFields(),
      h('div', { class: 'op-grid' },
        field('op-incident', 'op.incident', h('select', { id: 'op-incident' })),
        field('op-incident-action', 'op.change', h('select', { id: 'op-incident-action' },
          h('option', { value: 'remove' }, ot('op.remove')), h('option', { value: 'player' }, ot('op.setPlayer')))),
        field('op-player', 'op.player', h('input', { id: 'op-player', autocomplete: 'off' }))),
      field('op-reason', 'op.reason', h('input', { id: 'op-reason', required: '', maxlength: '500', autocomplete: 'off' })),
      h('p', { class: 'op-actions' },
        h('button', { type: 'submit', class: 'op-primary' }, ot('op.apply')),
        h('button', { type: 'button', id: 'op-reload' }, ot('op.reset')))),
    h('div', { id: 'op-conflict', class: 'op-conflict', role: 'alert', hidden: '' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    events.submit();
  });
  form.addEventListener('input', () => events.edited());
  form.addEventListener('change', () => events.edited());
  find(form, '#op-clock')!.addEventListener('input', () => events.clockEdited());
  find(form, '#op-running')!.addEventListener('change', () => events.clockEdited());
  find(form, '#op-reload')!.addEventListener('click', () => events.reset());
  return form;
}

/** Puts a state's values in the form; the clock as the page shows it now (`clock`). */
export function fillForm(state: MatchState, clock: string): void {
  input('op-home').value = String(state.home.score);
  input('op-away').value = String(state.away.score);
  byId<HTMLSelectElement>('op-status').value = state.status;
  input('op-period').value = String(state.period);
  input('op-clock').value = clock;
  input('op-running').checked = state.clock.running;
  const tennis = state.sport === 'tennis' ? state.tennis : undefined;
  byId('op-tennis').hidden = !tennis;
  if (tennis) {
    const games = tennis.sets[tennis.sets.length - 1] ?? { home: 0, away: 0 };
    input('op-points-home').value = String(tennis.points.home);
    input('op-points-away').value = String(tennis.points.away);
    input('op-games-home').value = String(games.home);
    input('op-games-away').value = String(games.away);
    byId<HTMLSelectElement>('op-server').value = tennis.server;
  }
}

/** Tennis's own fields (docs/wire-contract.md, "Operator API"): shown for tennis matches only. */
function tennisFields(): HTMLElement {
  const number = (id: string, label: OperatorKey) =>
    field(id, label, h('input', { id, type: 'number', min: '0', max: '99', inputmode: 'numeric', 'aria-describedby': 'op-points-hint' }));
  return h('fieldset', { id: 'op-tennis', class: 'op-tennis', hidden: '' },
    h('legend', {}, ot('op.tennis')),
    h('div', { class: 'op-grid' },
      number('op-points-home', 'op.homePoints'),
      number('op-points-away', 'op.awayPoints'),
      number('op-games-home', 'op.homeGames'),
      number('op-games-away', 'op.awayGames'),
      field('op-server', 'op.server', h('select', { id: 'op-server' },
        h('option', { value: 'home' }, ot('op.side.home')), h('option', { value: 'away' }, ot('op.side.away'))))),
    h('p', { id: 'op-points-hint', class: 'op-hint' }, ot('op.pointsHint')));
}

/** The tennis part of a correction against `base`: only what differs; a sentence when a number is wrong. */
function readTennis(base: MatchState, number: (id: string, label: OperatorKey, max: number) => number | string): CorrectionRequest['tennis'] | string {
  const tennis = base.tennis;
  if (base.sport !== 'tennis' || !tennis) {
    return undefined;
  }
  const values = [number('op-points-home', 'op.homePoints', 99), number('op-points-away', 'op.awayPoints', 99),
    number('op-games-home', 'op.homeGames', 99), number('op-games-away', 'op.awayGames', 99)];
  const wrong = values.find((v) => typeof v === 'string');
  if (typeof wrong === 'string') {
    return wrong;
  }
  const [pointsHome, pointsAway, gamesHome, gamesAway] = values as number[];
  const games = tennis.sets[tennis.sets.length - 1] ?? { home: 0, away: 0 };
  const server = byId<HTMLSelectElement>('op-server').value as 'home' | 'away';
  const asked: NonNullable<CorrectionRequest['tennis']> = {};
  if (pointsHome !== tennis.points.home || pointsAway !== tennis.points.away) asked.points = { home: pointsHome!, away: pointsAway! };
  if (gamesHome !== games.home || gamesAway !== games.away) asked.games = { home: gamesHome!, away: gamesAway! };
  if (server !== tennis.server) asked.server = server;
  return Object.keys(asked).length > 0 ? asked : undefined;
}

/** The incidents the form can change; the one chosen stays chosen while it is still there. */
export function showIncidents(incidents: Incident[], sport: Sport): void {
  const select = byId<HTMLSelectElement>('op-incident');
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, ot('op.none')),
    ...incidents.map((i) => h('option', { value: i.id }, incidentText({ sport }, i, true))));
  select.value = incidents.some((i) => i.id === chosen) ? chosen : '';
}

/** The correction the form asks for against `base`, or a sentence saying what is wrong with it. */
export function readCorrection(base: MatchState, clockEdited: boolean): CorrectionRequest | string {
  const reason = input('op-reason').value.trim();
  const request: CorrectionRequest = { reason, expectedSeq: base.seq };
  const number = (id: string, label: OperatorKey, max: number): number | string => {
    const value = Number(input(id).value);
    return input(id).value.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= max ? value : ot('op.wholeNumber', { field: ot(label), max: String(max) });
  };
  const home = number('op-home', 'op.homeScore', 999);
  const away = number('op-away', 'op.awayScore', 999);
  const period = number('op-period', 'op.period', 20);
  for (const value of [home, away, period]) {
    if (typeof value === 'string') {
      return value;
    }
  }
  if (home !== base.home.score) request.home = home as number;
  if (away !== base.away.score) request.away = away as number;
  if (period !== base.period) request.period = period as number;
  const status = byId<HTMLSelectElement>('op-status').value;
  if (status !== base.status) request.status = status;
  if (clockEdited) {
    const match = /^(\d{1,3}):([0-5]\d)$/.exec(input('op-clock').value.trim());
    if (!match) {
      return ot('op.clockFormat');
    }
    request.clock = { seconds: Number(match[1]) * 60 + Number(match[2]), running: input('op-running').checked };
  }
  const tennis = readTennis(base, number);
  if (typeof tennis === 'string') {
    return tennis;
  }
  if (tennis) request.tennis = tennis;
  const incidentId = byId<HTMLSelectElement>('op-incident').value;
  if (incidentId) {
    if (byId<HTMLSelectElement>('op-incident-action').value === 'remove') {
      request.incident = { id: incidentId, removed: true };
    } else {
      const player = input('op-player').value.trim();
      if (!player) {
        return ot('op.playerRequired');
      }
      request.incident = { id: incidentId, player };
    }
  }
  if (Object.keys(request).length === 2) {
    return ot('op.nothingToCorrect');
  }
  if (!reason) {
    return ot('op.reasonRequired');
  }
  return request;
}

/** After a correction was applied: the one-off parts (reason, incident, player) start empty again. */
export function clearOneOffs(): void {
  input('op-reason').value = '';
  byId<HTMLSelectElement>('op-incident').value = '';
  input('op-player').value = '';
}

function input(id: string): HTMLInputElement {
  return byId<HTMLInputElement>(id);
}

function field(id: string, label: OperatorKey, control: HTMLElement): HTMLElement {
  return h('p', { class: 'op-field' }, h('label', { for: id }, ot(label)), control);
}
