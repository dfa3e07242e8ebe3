// The operator console (/operator): sign in against ingest's operator API, follow matches live over the hub (the same
// client library as the fan pages), correct one with optimistic concurrency (expectedSeq), see pins beside what the
// feed says, read the audit, undo, release pins. Every feed or operator text goes through textContent, never HTML.
import { ScoreFeedClient } from '../lib/client';
import { ServerClock, clockText, competitionName, formatClock, incidentLabel, incidentTime, listOrder, statusLabel } from '../lib/clock';
import { isInPlay, type Incident, type MatchState, type MatchStatus } from '../lib/contract';
import { find, h, setText } from '../ui/dom';
import { startTicker } from '../ui/live';
import { setUpTheme } from '../ui/theme';
import { showStatus } from '../ui/views';
import { OperatorApi, type AuditEntry, type CorrectionRequest, type OperatorMatch, type Outcome, type Pin } from './api';

interface ConsoleConfig {
  page: 'operator';
  hub: string;
  ingest: string;
  topics: string[];
  matches: MatchState[];
  serverNow: number;
  names?: Record<string, string>;
}

const statuses: MatchStatus[] = ['scheduled', 'live', 'paused', 'final', 'postponed', 'cancelled'];
const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

const element = document.getElementById('sf-config');
if (element?.textContent) {
  setUpTheme();
  run(JSON.parse(element.textContent) as ConsoleConfig);
}

function run(config: ConsoleConfig): void {
  const clock = new ServerClock();
  clock.sample(config.serverNow);
  const result = byId('op-result');
  const say = (text: string) => {
    // Cleared first so that the same message twice is read out twice.
    result.textContent = '';
    setTimeout(() => (result.textContent = text), 50);
  };

  const api = new OperatorApi(config.ingest, () => showSignIn('Your session has ended. Please sign in again.'));
  const states = new Map<string, MatchState>();
  let client: ScoreFeedClient | undefined;
  let detail: Detail | undefined;

  // ---- sign-in ------------------------------------------------------------------------------------------------
  const signInForm = byId<HTMLFormElement>('op-signin-form');
  const signInMessage = byId('op-signin-message');
  function showSignIn(message = ''): void {
    api.signOut();
    detail?.close();
    detail = undefined;
    byId('op-console').hidden = true;
    byId('op-signin').hidden = false;
    setText(signInMessage, message);
    byId<HTMLInputElement>('op-password').value = '';
    byId<HTMLInputElement>(byId<HTMLInputElement>('op-user').value ? 'op-password' : 'op-user').focus();
  }
  function showConsole(): void {
    byId('op-signin').hidden = true;
    byId('op-console').hidden = false;
    setText(byId('op-who'), api.current?.name ?? '');
    startLive();
    renderList();
    byId('op-search').focus();
  }
  signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const user = byId<HTMLInputElement>('op-user').value.trim();
    const password = byId<HTMLInputElement>('op-password').value;
    if (!user || !password) {
      setText(signInMessage, 'Enter your user name and password.');
      return;
    }
    setText(signInMessage, 'Signing in…');
    const outcome = await api.signIn(user, password);
    if (outcome.ok) {
      setText(signInMessage, '');
      showConsole();
      say(`Signed in as ${outcome.value.name}.`);
    } else {
      setText(signInMessage, outcome.message);
      byId<HTMLInputElement>('op-password').select();
    }
  });
  byId('op-signout').addEventListener('click', () => {
    showSignIn('Signed out.');
  });

  // ---- live list ----------------------------------------------------------------------------------------------
  const search = byId<HTMLInputElement>('op-search');
  const list = byId('op-matches');
  const items = new Map<string, HTMLLIElement>();
  for (const state of config.matches) {
    states.set(state.matchId, state);
  }

  function startLive(): void {
    if (client) {
      return;
    }
    client = new ScoreFeedClient({ hubUrl: config.hub });
    client.onArrival((update) => clock.sample(update.ts));
    client.onStatus((s, refusal) => showStatus(document.getElementById('sf-conn'), s, refusal));
    client.onMatch((state) => {
      states.set(state.matchId, state);
      updateItem(state);
      if (detail?.matchId === state.matchId) {
        detail.changed(state);
      }
    });
    // Only the matches in play, which "live" covers: the tracker sends a position for each match it holds with
    // every Subscribe, and the list can hold a week of matches. A match opened in the console is subscribed then.
    client.tracker.seed(config.matches.filter((m) => isInPlay(m.status)));
    void client.subscribe(config.topics);
    client.start();
  }

  const matches = (state: MatchState, query: string) =>
    !query ||
    [state.matchId, state.competitionId, competitionName(state.competitionId, config.names), state.home.name, state.away.name]
      .some((text) => text.toLowerCase().includes(query));

  function itemText(state: MatchState): string {
    const score = state.status === 'scheduled' ? 'v' : `${state.home.score}–${state.away.score}`;
    return `${state.home.name} ${score} ${state.away.name}`;
  }

  function updateItem(state: MatchState): void {
    let item = items.get(state.matchId);
    if (!item) {
      const button = h('button', { type: 'button', class: 'op-match', 'data-match': state.matchId },
        h('span', { class: 'op-match-teams' }), h('span', { class: 'op-match-meta' }));
      button.addEventListener('click', () => select(state.matchId));
      item = h('li', {}, button);
      items.set(state.matchId, item);
      renderList();
    }
    const button = find(item, 'button')!;
    button.dataset.status = state.status;
    setText(find(item, '.op-match-teams'), itemText(state));
    setText(find(item, '.op-match-meta'), `${statusLabel(state.status, state.sport, state.period)} · ${competitionName(state.competitionId, config.names)} · ${state.matchId}`);
  }

  function renderList(): void {
    const query = search.value.trim().toLowerCase();
    const shown = [...states.values()].sort(listOrder).filter((state) => matches(state, query));
    for (const state of shown) {
      if (!items.has(state.matchId)) {
        updateItem(state);
      }
    }
    const wanted = shown.map((s) => items.get(s.matchId)!);
    list.replaceChildren(...wanted);
    setText(byId('op-count'), shown.length === 1 ? '1 match' : `${shown.length} matches`);
  }
  search.addEventListener('input', renderList);
  search.addEventListener('keydown', (event) => {
    // Enter in the search box opens the first match it shows.
    if (event.key === 'Enter') {
      find<HTMLButtonElement>(list, 'button')?.click();
    }
  });

  function select(matchId: string): void {
    const state = states.get(matchId);
    if (!state || !client) {
      return;
    }
    list.querySelectorAll('button[aria-current]').forEach((b) => b.removeAttribute('aria-current'));
    list.querySelector(`button[data-match="${CSS.escape(matchId)}"]`)?.setAttribute('aria-current', 'true');
    detail?.close();
    detail = new Detail(state, api, client, clock, config, say);
  }

  startTicker(() => detail?.tick(clock.now()));

  if (api.current) {
    showConsole();
  } else {
    showSignIn();
  }
}

// ---- one match ------------------------------------------------------------------------------------------------

class Detail {
  readonly matchId: string;
  private state: MatchState;
  /** The state the correction form was filled from: its seq is the expectedSeq sent. */
  private base: MatchState;
  private incidents: Incident[] = [];
  private pins: Record<string, Pin> = {};
  private readonly auditItems = new Map<string, HTMLLIElement>();
  private clockEdited = false;
  /** The operator has started editing the form: from then on it keeps its values (and base) until applied or reset. */
  private edited = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly root = byId('op-detail-body');
  private readonly topic: string;

  constructor(
    state: MatchState,
    private readonly api: OperatorApi,
    private readonly client: ScoreFeedClient,
    private readonly clock: ServerClock,
    private readonly config: ConsoleConfig,
    private readonly say: (text: string) => void,
  ) {
    this.matchId = state.matchId;
    this.state = state;
    this.base = state;
    this.topic = `match:${state.matchId}`;
    void client.subscribe([this.topic]);
    setText(byId('op-detail-title'), `${state.home.name} v ${state.away.name}`);
    byId('op-detail-empty').hidden = true;
    this.root.hidden = false;
    this.root.replaceChildren(this.render());
    this.fill(state);
    this.showState();
    void this.refresh();
    byId('op-detail').focus();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    void this.client.unsubscribe([this.topic]);
  }

  /** A new state from the hub (feed or operator): shown at once; pins and audit are read again shortly after. */
  changed(state: MatchState): void {
    this.state = state;
    if (this.edited) {
      this.showState();
    } else {
      this.fill(state);
    }
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 250);
  }

  tick(now: number): void {
    setText(find(this.root, '#op-state-clock'), `${clockText(this.state, now)}${this.state.clock.running ? ' (running)' : ' (stopped)'}`);
  }

  private render(): HTMLElement {
    const statusOptions = statuses.map((s) => h('option', { value: s }, s));
    const form = h('form', { id: 'op-correct', class: 'op-form', novalidate: '' },
      h('fieldset', {},
        h('legend', {}, 'Correct this match'),
        h('p', { id: 'op-base', class: 'op-base' }),
        h('div', { class: 'op-grid' },
          field('op-home', 'Home score', h('input', { id: 'op-home', type: 'number', min: '0', max: '999', inputmode: 'numeric' })),
          field('op-away', 'Away score', h('input', { id: 'op-away', type: 'number', min: '0', max: '999', inputmode: 'numeric' })),
          field('op-status', 'Status', h('select', { id: 'op-status' }, ...statusOptions)),
          field('op-period', 'Period', h('input', { id: 'op-period', type: 'number', min: '0', max: '20', inputmode: 'numeric' })),
          field('op-clock', 'Clock (mm:ss)', h('input', { id: 'op-clock', inputmode: 'numeric', pattern: '[0-9]{1,3}:[0-5][0-9]', 'aria-describedby': 'op-clock-hint' })),
          h('p', { class: 'op-check' }, h('input', { id: 'op-running', type: 'checkbox' }), h('label', { for: 'op-running' }, 'Clock running'))),
        h('p', { id: 'op-clock-hint', class: 'op-hint' }, 'The clock is sent only if you change it.'),
        h('div', { class: 'op-grid' },
          field('op-incident', 'Incident', h('select', { id: 'op-incident' })),
          field('op-incident-action', 'Change', h('select', { id: 'op-incident-action' },
            h('option', { value: 'remove' }, 'Remove it'), h('option', { value: 'player' }, 'Set the player'))),
          field('op-player', 'Player', h('input', { id: 'op-player', autocomplete: 'off' }))),
        field('op-reason', 'Reason (required, shown in the audit)', h('input', { id: 'op-reason', required: '', maxlength: '500', autocomplete: 'off' })),
        h('p', { class: 'op-actions' },
          h('button', { type: 'submit', class: 'op-primary' }, 'Apply correction'),
          h('button', { type: 'button', id: 'op-reload' }, 'Reset to current values'))),
      h('div', { id: 'op-conflict', class: 'op-conflict', role: 'alert', hidden: '' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    form.addEventListener('input', () => (this.edited = true));
    form.addEventListener('change', () => (this.edited = true));
    find(form, '#op-clock')!.addEventListener('input', () => (this.clockEdited = true));
    find(form, '#op-running')!.addEventListener('change', () => (this.clockEdited = true));
    find(form, '#op-reload')!.addEventListener('click', () => this.fill(this.state));

    const releaseAll = h('button', { type: 'button', id: 'op-release-all' }, 'Release all pins');
    releaseAll.addEventListener('click', () => void this.release(undefined));

    return h('div', { class: 'op-detail-grid' },
      h('section', { class: 'op-state', 'aria-labelledby': 'op-state-title' },
        h('h3', { id: 'op-state-title' }, 'Now'),
        h('dl', { class: 'op-facts' },
          h('dt', {}, 'Score'), h('dd', { id: 'op-state-score', class: 'op-score' }),
          h('dt', {}, 'Status'), h('dd', { id: 'op-state-status' }),
          h('dt', {}, 'Clock'), h('dd', { id: 'op-state-clock' }),
          h('dt', {}, 'Seq'), h('dd', { id: 'op-state-seq' }),
          h('dt', {}, 'Match'), h('dd', { id: 'op-state-id' }))),
      form,
      h('section', { class: 'op-pins', 'aria-labelledby': 'op-pins-title' },
        h('h3', { id: 'op-pins-title' }, 'Pinned fields'),
        h('p', { class: 'op-hint' }, 'A pinned field keeps the operator’s value whatever the feed says, until released.'),
        h('ul', { id: 'op-pin-list', class: 'op-rows' }),
        h('p', {}, releaseAll)),
      h('section', { class: 'op-audit', 'aria-labelledby': 'op-audit-title' },
        h('h3', { id: 'op-audit-title' }, 'Audit'),
        h('ol', { id: 'op-audit-list', class: 'op-rows', reversed: '' })));
  }

  private showState(): void {
    const s = this.state;
    setText(byId('op-detail-title'), `${s.home.name} v ${s.away.name}`);
    setText(find(this.root, '#op-state-score'), `${s.home.name} ${s.home.score}–${s.away.score} ${s.away.name}`);
    setText(find(this.root, '#op-state-status'), `${statusLabel(s.status, s.sport, s.period)} (${s.status}, period ${s.period})`);
    setText(find(this.root, '#op-state-seq'), String(s.seq));
    setText(find(this.root, '#op-state-id'), `${s.matchId} · ${competitionName(s.competitionId, this.config.names)}`);
    this.tick(this.clock.now());
    const moved = s.seq !== this.base.seq;
    setText(find(this.root, '#op-base'), moved
      ? `The form shows the match at seq ${this.base.seq}; it is now at seq ${s.seq}. Applying checks that nobody changed it in between.`
      : `The form shows the match as it is now (seq ${s.seq}).`);
    find(this.root, '#op-base')!.classList.toggle('op-moved', moved);
  }

  /** Fills the form from a state; that state's seq becomes the expectedSeq. */
  private fill(state: MatchState): void {
    this.base = state;
    this.clockEdited = false;
    this.edited = false;
    input('op-home').value = String(state.home.score);
    input('op-away').value = String(state.away.score);
    byId<HTMLSelectElement>('op-status').value = state.status;
    input('op-period').value = String(state.period);
    input('op-clock').value = clockText(state, this.clock.now());
    input('op-running').checked = state.clock.running;
    this.renderIncidents();
    find(this.root, '#op-conflict')!.hidden = true;
    this.showState();
  }

  private renderIncidents(): void {
    const select = byId<HTMLSelectElement>('op-incident');
    const chosen = select.value;
    select.replaceChildren(h('option', { value: '' }, 'None'),
      ...this.incidents.map((i) => h('option', { value: i.id }, `${incidentTime(this.state.sport, i)} ${incidentLabel(this.state.sport, i)}${i.player ? ` – ${i.player}` : ''}${i.team ? ` (${i.team})` : ''}`)));
    select.value = this.incidents.some((i) => i.id === chosen) ? chosen : '';
  }

  /** The correction the form asks for: only what differs from the state it was filled from. */
  private request(): CorrectionRequest | string {
    const reason = input('op-reason').value.trim();
    const base = this.base;
    const request: CorrectionRequest = { reason, expectedSeq: base.seq };
    const number = (id: string, label: string, max: number): number | string => {
      const value = Number(input(id).value);
      return input(id).value.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= max ? value : `${label} must be a whole number from 0 to ${max}.`;
    };
    const home = number('op-home', 'Home score', 999);
    const away = number('op-away', 'Away score', 999);
    const period = number('op-period', 'Period', 20);
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
    if (this.clockEdited) {
      const match = /^(\d{1,3}):([0-5]\d)$/.exec(input('op-clock').value.trim());
      if (!match) {
        return 'Clock must read minutes:seconds, e.g. 67:05.';
      }
      request.clock = { seconds: Number(match[1]) * 60 + Number(match[2]), running: input('op-running').checked };
    }
    const incidentId = byId<HTMLSelectElement>('op-incident').value;
    if (incidentId) {
      if (byId<HTMLSelectElement>('op-incident-action').value === 'remove') {
        request.incident = { id: incidentId, removed: true };
      } else {
        const player = input('op-player').value.trim();
        if (!player) {
          return 'Enter the player’s name, or choose to remove the incident.';
        }
        request.incident = { id: incidentId, player };
      }
    }
    if (Object.keys(request).length === 2) {
      return 'Nothing to correct: change a value first.';
    }
    if (!reason) {
      return 'A reason is required.';
    }
    return request;
  }

  private async submit(request?: CorrectionRequest): Promise<void> {
    const asked = request ?? this.request();
    if (typeof asked === 'string') {
      this.say(asked);
      if (asked.startsWith('A reason')) {
        input('op-reason').focus();
      }
      return;
    }
    const outcome = await this.api.correct(this.matchId, asked);
    if (outcome.ok) {
      this.applied(outcome.value, outcome.value.auditId ? `Correction applied: the match is at seq ${outcome.value.state.seq}.` : 'Nothing changed: the match already shows these values.');
      input('op-reason').value = '';
      byId<HTMLSelectElement>('op-incident').value = '';
      input('op-player').value = '';
    } else if (outcome.conflict) {
      this.conflict(asked, outcome.conflict);
    } else {
      this.failed(outcome);
    }
  }

  /** 409: somebody (the feed or another operator) changed the match since the form was filled. */
  private conflict(asked: CorrectionRequest, current: OperatorMatch): void {
    const s = current.state;
    const box = find(this.root, '#op-conflict')!;
    const reapply = h('button', { type: 'button', class: 'op-primary' }, `Re-apply my correction on seq ${s.seq}`);
    const discard = h('button', { type: 'button' }, 'Discard mine, show the current values');
    reapply.addEventListener('click', () => void this.submit({ ...asked, expectedSeq: s.seq }));
    discard.addEventListener('click', () => {
      this.fill(s);
      input('op-home').focus();
    });
    box.replaceChildren(
      h('h4', {}, 'Someone else changed this match'),
      h('p', {}, `Nothing was applied. While you were deciding, the match moved from seq ${asked.expectedSeq} to seq ${s.seq}. It now reads:`),
      h('p', { class: 'op-score' }, `${s.home.name} ${s.home.score}–${s.away.score} ${s.away.name} · ${statusLabel(s.status, s.sport, s.period)} · ${formatClock(s.clock.seconds)}`),
      h('p', {}, `Your correction: ${describeRequest(asked)}.`),
      h('p', { class: 'op-actions' }, reapply, discard));
    box.hidden = false;
    this.pins = current.pins ?? {};
    this.incidents = s.incidents ?? this.incidents;
    this.renderPins();
    reapply.focus();
  }

  private applied(match: OperatorMatch, message: string): void {
    this.state = match.state.seq >= this.state.seq ? { ...match.state, incidents: undefined } : this.state;
    this.incidents = match.state.incidents ?? this.incidents;
    this.pins = match.pins ?? {};
    this.fill(this.state);
    this.renderPins();
    void this.loadAudit();
    this.say(message);
  }

  private failed(outcome: Extract<Outcome<unknown>, { ok: false }>): void {
    if (outcome.status !== 401) {
      this.say(outcome.message);
    }
  }

  private async refresh(): Promise<void> {
    const pins = await this.api.pins(this.matchId);
    if (this.closed) {
      return;
    }
    if (pins.ok) {
      this.pins = pins.value.pins ?? {};
      this.incidents = pins.value.state.incidents ?? [];
      this.renderIncidents();
      this.renderPins();
    } else {
      this.failed(pins);
    }
    await this.loadAudit();
  }

  private renderPins(): void {
    const listElement = byId('op-pin-list');
    const entries = Object.entries(this.pins);
    listElement.replaceChildren(...entries.map(([name, pin]) => {
      const release = h('button', { type: 'button', 'data-field': name }, `Release ${fieldName(name)}`);
      release.addEventListener('click', () => void this.release(name));
      return h('li', { class: 'op-pin', 'data-field': name },
        h('span', { class: 'op-pin-field' }, fieldName(name)),
        h('span', { class: 'op-pin-value' }, `pinned: ${valueText(name, pin.value, this.state)}`),
        h('span', { class: 'op-pin-feed' }, `feed says: ${valueText(name, pin.feed, this.state)}`),
        h('span', { class: 'op-pin-by' }, `by ${pin.by}, ${dateTime.format(new Date(pin.at))}: ${pin.reason}`),
        release);
    }));
    if (entries.length === 0) {
      listElement.append(h('li', { class: 'op-none' }, 'No field is pinned: the feed drives every value.'));
    }
    (byId('op-release-all') as HTMLButtonElement).disabled = entries.length === 0;
  }

  private async release(field: string | undefined): Promise<void> {
    const outcome = await this.api.release(this.matchId, field, field ? `released ${field}` : 'released all pins', this.state.seq);
    if (outcome.ok) {
      this.applied(outcome.value, field ? `Released ${fieldName(field)}: the feed drives it again.` : 'Released every pin: the feed drives the match again.');
    } else if (outcome.conflict) {
      this.say('Someone else changed this match just now; look at it again, then release.');
      void this.refresh();
    } else {
      this.failed(outcome);
    }
  }

  private async loadAudit(): Promise<void> {
    const audit = await this.api.audit(this.matchId);
    if (this.closed) {
      return;
    }
    const listElement = byId('op-audit-list');
    if (!audit.ok) {
      if (audit.status === 404 && this.auditItems.size === 0) {
        listElement.replaceChildren(h('li', { class: 'op-none' }, 'No operator has changed this match.'));
      } else {
        this.failed(audit);
      }
      return;
    }
    // The audit is append-only: entries shown stay as they are (an undo form being filled in stays open), new
    // ones go on top, newest first.
    for (const entry of audit.value.entries) {
      if (!this.auditItems.has(entry.id)) {
        const item = this.auditItem(entry);
        this.auditItems.set(entry.id, item);
        find(listElement, '.op-none')?.remove();
        listElement.prepend(item);
      }
    }
    if (this.auditItems.size === 0) {
      listElement.replaceChildren(h('li', { class: 'op-none' }, 'No operator has changed this match.'));
    }
  }

  private auditItem(entry: AuditEntry): HTMLLIElement {
    const changes = Object.keys({ ...entry.before, ...entry.after })
      .map((name) => `${fieldName(name)}: ${valueText(name, entry.before[name], this.state)} → ${valueText(name, entry.after[name], this.state)}`);
    const item = h('li', { class: 'op-entry', 'data-entry': entry.id, 'data-action': entry.action },
      h('p', { class: 'op-entry-head' },
        h('strong', {}, actionText(entry)), ` by ${entry.operator}, `, h('time', { datetime: new Date(entry.at).toISOString() }, dateTime.format(new Date(entry.at))), ` (seq ${entry.seq})`),
      h('p', { class: 'op-entry-reason' }, `Reason: ${entry.reason}`),
      h('p', { class: 'op-entry-changes' }, changes.length ? changes.join('; ') : 'no value changed'));
    if (entry.action !== 'pin-cleared' && changes.length > 0) {
      const undo = h('button', { type: 'button', class: 'op-undo' }, 'Undo');
      undo.setAttribute('aria-label', `Undo ${actionText(entry).toLowerCase()} by ${entry.operator} at ${dateTime.format(new Date(entry.at))}`);
      undo.addEventListener('click', () => {
        undo.hidden = true;
        const reasonId = `op-undo-reason-${entry.id}`;
        const form = h('form', { class: 'op-undo-form' },
          h('label', { for: reasonId }, 'Reason for the undo'),
          h('input', { id: reasonId, required: '', maxlength: '500', autocomplete: 'off' }),
          h('button', { type: 'submit', class: 'op-primary' }, 'Confirm undo'));
        const cancel = h('button', { type: 'button' }, 'Cancel');
        cancel.addEventListener('click', () => {
          form.remove();
          undo.hidden = false;
          undo.focus();
        });
        form.append(cancel);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          const reason = find<HTMLInputElement>(form, 'input')!.value.trim();
          if (!reason) {
            this.say('A reason is required to undo.');
            find<HTMLInputElement>(form, 'input')!.focus();
            return;
          }
          void this.undo(entry, reason, () => {
            form.remove();
            undo.hidden = false;
          });
        });
        item.append(form);
        find<HTMLInputElement>(form, 'input')!.focus();
      });
      item.append(undo);
    }
    return item;
  }

  private async undo(entry: AuditEntry, reason: string, done: () => void): Promise<void> {
    const outcome = await this.api.undo(this.matchId, entry.id, reason, this.state.seq);
    if (outcome.ok) {
      done();
      this.applied(outcome.value, `Undone: the match is at seq ${outcome.value.state.seq}.`);
    } else if (outcome.conflict) {
      this.say('Someone else changed this match just now; look at it again, then undo.');
      void this.refresh();
    } else {
      this.failed(outcome);
    }
  }
}

function input(id: string): HTMLInputElement {
  return byId<HTMLInputElement>(id);
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('p', { class: 'op-field' }, h('label', { for: id }, label), control);
}

function fieldName(name: string): string {
  switch (name) {
    case 'home':
      return 'home score';
    case 'away':
      return 'away score';
    default:
      return name.startsWith('incident:') ? `incident ${name.slice('incident:'.length)}` : name;
  }
}

/** A pinned or audited value as text: scores and periods as numbers, the clock as mm:ss, an incident by its label. */
function valueText(name: string, value: unknown, state: MatchState): string {
  if (value === null || value === undefined) {
    return name.startsWith('incident:') ? 'none' : '—';
  }
  if (name === 'clock' && typeof value === 'object') {
    const clock = value as { running?: boolean; seconds?: number };
    return `${formatClock(clock.seconds ?? 0)}${clock.running ? ' running' : ' stopped'}`;
  }
  if (name.startsWith('incident:') && typeof value === 'object') {
    const incident = value as Incident;
    return `${incidentTime(state.sport, incident)} ${incidentLabel(state.sport, incident)}${incident.player ? ` – ${incident.player}` : ''}`;
  }
  return String(value);
}

function actionText(entry: AuditEntry): string {
  switch (entry.action) {
    case 'correction':
      return 'Correction';
    case 'undo':
      return 'Undo';
    case 'release':
      return 'Pin release';
    case 'pin-cleared':
      return 'Pin cleared (the feed agreed)';
    default:
      return entry.action;
  }
}

function describeRequest(request: CorrectionRequest): string {
  const parts: string[] = [];
  if (request.home !== undefined) parts.push(`home ${request.home}`);
  if (request.away !== undefined) parts.push(`away ${request.away}`);
  if (request.status) parts.push(`status ${request.status}`);
  if (request.period !== undefined) parts.push(`period ${request.period}`);
  if (request.clock) parts.push(`clock ${formatClock(request.clock.seconds)}`);
  if (request.incident) parts.push(request.incident.removed ? `remove incident ${request.incident.id}` : `incident ${request.incident.id}: player ${request.incident.player}`);
  return `${parts.join(', ')} — “${request.reason}”`;
}
