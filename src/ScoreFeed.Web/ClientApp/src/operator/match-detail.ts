// The match shown in the console: its state as the hub sends it, the correction form, its pins and its audit.
// Pins and audit are read from the operator API when the match opens and again shortly after each update.
import { ServerClock, formatClock, type Incident, type MatchState, type ScoreFeedClient } from '@scorefeed/client';
import { t } from '../i18n';
import { clockText, competitionName, statusLabel } from '../ui/clock';
import { byId, find, h, setText } from '../ui/dom';
import type { AuditEntry, CorrectionRequest, OperatorApi, OperatorMatch, Outcome, Pin } from './api';
import { clearOneOffs, correctionForm, fillForm, readCorrection, showIncidents } from './correction-form';
import { auditItem, noAudit, pinRows } from './history';
import { describeRequest, fieldName, statusValue } from './labels';
import { ot } from './words';

export class MatchDetail {
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
    private readonly names: Record<string, string> | undefined,
    private readonly say: (text: string) => void,
  ) {
    this.matchId = state.matchId;
    this.state = state;
    this.base = state;
    this.topic = `match:${state.matchId}`;
    void client.subscribe([this.topic]);
    setText(byId('op-detail-title'), t('follow.vs', { home: state.home.name, away: state.away.name }));
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
    setText(find(this.root, '#op-state-clock'), ot(this.state.clock.running ? 'op.clockRunning' : 'op.clockStopped', { clock: clockText(this.state, now) }));
  }

  private render(): HTMLElement {
    const form = correctionForm({
      submit: () => void this.submit(),
      edited: () => (this.edited = true),
      clockEdited: () => (this.clockEdited = true),
      reset: () => this.fill(this.state),
    });
    const releaseAll = h('button', { type: 'button', id: 'op-release-all' }, ot('op.releaseAll'));
    releaseAll.addEventListener('click', () => void this.release(undefined));

    return h('div', { class: 'op-detail-grid' },
      h('section', { class: 'op-state', 'aria-labelledby': 'op-state-title' },
        h('h3', { id: 'op-state-title' }, ot('op.now')),
        h('dl', { class: 'op-facts' },
          h('dt', {}, ot('op.score')), h('dd', { id: 'op-state-score', class: 'op-score' }),
          h('dt', {}, ot('op.status')), h('dd', { id: 'op-state-status' }),
          h('dt', {}, ot('op.clock')), h('dd', { id: 'op-state-clock' }),
          h('dt', {}, ot('op.seq')), h('dd', { id: 'op-state-seq' }),
          h('dt', {}, ot('op.match')), h('dd', { id: 'op-state-id' }))),
      form,
      h('section', { class: 'op-pins', 'aria-labelledby': 'op-pins-title' },
        h('h3', { id: 'op-pins-title' }, ot('op.pinned')),
        h('p', { class: 'op-hint' }, ot('op.pinnedHint')),
        h('ul', { id: 'op-pin-list', class: 'op-rows' }),
        h('p', {}, releaseAll)),
      h('section', { class: 'op-audit', 'aria-labelledby': 'op-audit-title' },
        h('h3', { id: 'op-audit-title' }, ot('op.audit')),
        h('ol', { id: 'op-audit-list', class: 'op-rows', reversed: '' })));
  }

  private showState(): void {
    const s = this.state;
    setText(byId('op-detail-title'), t('follow.vs', { home: s.home.name, away: s.away.name }));
    setText(find(this.root, '#op-state-score'), `${s.home.name} ${s.home.score}–${s.away.score} ${s.away.name}`);
    setText(find(this.root, '#op-state-status'), ot('op.statusDetail', { label: statusLabel(s.status, s.sport, s.period), status: statusValue(s.status), period: String(s.period) }));
    setText(find(this.root, '#op-state-seq'), String(s.seq));
    setText(find(this.root, '#op-state-id'), `${s.matchId} · ${competitionName(s.competitionId, this.names)}`);
    this.tick(this.clock.now());
    const moved = s.seq !== this.base.seq;
    setText(find(this.root, '#op-base'), moved
      ? ot('op.baseMoved', { base: String(this.base.seq), seq: String(s.seq) })
      : ot('op.baseNow', { seq: String(s.seq) }));
    find(this.root, '#op-base')!.classList.toggle('op-moved', moved);
  }

  /** Fills the form from a state; that state's seq becomes the expectedSeq. */
  private fill(state: MatchState): void {
    this.base = state;
    this.clockEdited = false;
    this.edited = false;
    fillForm(state, clockText(state, this.clock.now()));
    this.renderIncidents();
    find(this.root, '#op-conflict')!.hidden = true;
    this.showState();
  }

  private renderIncidents(): void {
    showIncidents(this.incidents, this.state.sport);
  }

  private async submit(request?: CorrectionRequest): Promise<void> {
    const asked = request ?? readCorrection(this.base, this.clockEdited);
    if (typeof asked === 'string') {
      this.say(asked);
      if (asked === ot('op.reasonRequired')) {
        byId('op-reason').focus();
      }
      return;
    }
    const outcome = await this.api.correct(this.matchId, asked);
    if (outcome.ok) {
      this.applied(outcome.value, outcome.value.auditId ? ot('op.applied', { seq: String(outcome.value.state.seq) }) : ot('op.nothingChanged'));
      clearOneOffs();
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
    const reapply = h('button', { type: 'button', class: 'op-primary' }, ot('op.reapply', { seq: String(s.seq) }));
    const discard = h('button', { type: 'button' }, ot('op.discard'));
    reapply.addEventListener('click', () => void this.submit({ ...asked, expectedSeq: s.seq }));
    discard.addEventListener('click', () => {
      this.fill(s);
      byId('op-home').focus();
    });
    box.replaceChildren(
      h('h4', {}, ot('op.conflictTitle')),
      h('p', {}, ot('op.conflictText', { from: String(asked.expectedSeq), seq: String(s.seq) })),
      h('p', { class: 'op-score' }, `${s.home.name} ${s.home.score}–${s.away.score} ${s.away.name} · ${statusLabel(s.status, s.sport, s.period)} · ${formatClock(s.clock.seconds)}`),
      h('p', {}, ot('op.yourCorrection', { request: describeRequest(asked) })),
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
    byId('op-pin-list').replaceChildren(...pinRows(this.pins, this.state, (name) => void this.release(name)));
    byId<HTMLButtonElement>('op-release-all').disabled = Object.keys(this.pins).length === 0;
  }

  private async release(field: string | undefined): Promise<void> {
    const outcome = await this.api.release(this.matchId, field, field ? ot('op.releaseReason', { field: fieldName(field) }) : ot('op.releaseAllReason'), this.state.seq);
    if (outcome.ok) {
      this.applied(outcome.value, field ? ot('op.released', { field: fieldName(field) }) : ot('op.releasedAll'));
    } else if (outcome.conflict) {
      this.say(ot('op.releaseConflict'));
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
        listElement.replaceChildren(noAudit());
      } else {
        this.failed(audit);
      }
      return;
    }
    // The audit is append-only: entries shown stay as they are (an undo form being filled in stays open), new
    // ones go on top, newest first.
    for (const entry of audit.value.entries) {
      if (!this.auditItems.has(entry.id)) {
        const item = auditItem(entry, this.state, { say: this.say, undo: (e, reason, done) => void this.undo(e, reason, done) });
        this.auditItems.set(entry.id, item);
        find(listElement, '.op-none')?.remove();
        listElement.prepend(item);
      }
    }
    if (this.auditItems.size === 0) {
      listElement.replaceChildren(noAudit());
    }
  }

  private async undo(entry: AuditEntry, reason: string, done: () => void): Promise<void> {
    const outcome = await this.api.undo(this.matchId, entry.id, reason, this.state.seq);
    if (outcome.ok) {
      done();
      this.applied(outcome.value, ot('op.undone', { seq: String(outcome.value.state.seq) }));
    } else if (outcome.conflict) {
      this.say(ot('op.undoConflict'));
      void this.refresh();
    } else {
      this.failed(outcome);
    }
  }
}
