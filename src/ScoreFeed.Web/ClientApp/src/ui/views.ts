// The markup of cards, the match header and the timeline, built and updated from MatchState. Server-rendered
// pages use the same markup (src/ScoreFeed.Web/Pages/Shared/_MatchCard.cshtml, _MatchHero.cshtml, _Timeline.cshtml),
// so the scripts update what the server painted.
import { clockText, incidentLabel, incidentTime, periodLabel, statusLabel } from './clock';
import type { ConnectionStatus, Incident, MatchState, Refusal } from '@scorefeed/client';
import { t, type MessageKey } from '../i18n';
import { find, flash, h, setText } from './dom';
import { matchName, star, type Following } from './follow';
import { renderCardSets, renderLines } from './scores';
import { kickoff } from './zone';

export interface ViewContext {
  now(): number;
  /** Where a match's own page is. */
  matchHref(matchId: string): string;
  /** Links open in a new tab (widget on a partner's page). */
  newTab?: boolean;
  /** Our own fan pages: cards get a star to follow the match. */
  following?: Following;
}

/** What the card's clock slot shows: the running clock in play, the kick-off time before it, nothing after. */
export function clockSlot(state: MatchState, now: number): string {
  return state.status === 'scheduled' ? kickoff(state.startsAt, now) : clockText(state, now);
}

function scoreText(state: MatchState, side: 'home' | 'away'): string {
  return state.status === 'scheduled' || state.status === 'postponed' || state.status === 'cancelled' ? '' : String(state[side].score);
}

// ---- card (scoreboard item) --------------------------------------------------------------------------------

export function matchCard(state: MatchState, context: ViewContext): HTMLLIElement {
  const link = h('a', { class: 'sf-card-link', href: context.matchHref(state.matchId) },
    h('span', { class: 'sf-card-top', part: 'header' }, h('span', { class: 'sf-chip', part: 'status' }), h('span', { class: 'sf-clock', part: 'clock' })),
    h('span', { class: 'sf-side sf-home' }, h('span', { class: 'sf-name', part: 'team' }), h('span', { class: 'sf-score', part: 'score' })),
    h('span', { class: 'sf-side sf-away' }, h('span', { class: 'sf-name', part: 'team' }), h('span', { class: 'sf-score', part: 'score' })));
  if (context.newTab) {
    link.target = '_blank';
    link.rel = 'noopener';
  }
  const card = h('li', { class: 'sf-card', part: 'card', 'data-match': state.matchId }, link);
  if (context.following) {
    card.append(star(`m:${state.matchId}`, matchName(state), context.following.has(`m:${state.matchId}`)));
  }
  updateMatch(card, state, undefined, context);
  return card;
}

/**
 * Updates a card or a match header from the state: status, clock, names, scores; flashes a score that changed.
 * Returns the side that scored, if one did.
 */
export function updateMatch(root: HTMLElement, state: MatchState, previous: MatchState | undefined, context: ViewContext): 'home' | 'away' | undefined {
  root.dataset.status = state.status;
  const chip = find(root, '.sf-chip');
  if (chip) {
    chip.dataset.status = state.status;
    setText(chip, statusLabel(state.status, state.sport, state.period));
  }
  setText(find(root, '.sf-period'), state.status === 'live' || state.status === 'paused' ? periodLabel(state.sport, state.period) : '');
  setText(find(root, '.sf-clock'), clockSlot(state, context.now()));
  find(root, ':scope > .sf-star[data-follow^="m:"]')?.setAttribute('aria-label', t('follow.label', { name: matchName(state) }));
  let scored: 'home' | 'away' | undefined;
  for (const side of ['home', 'away'] as const) {
    setText(find(root, `.sf-${side} .sf-name`), state[side].name);
    const score = find(root, `.sf-${side} .sf-score`);
    setText(score, scoreText(state, side));
    if (previous && previous.epoch === state.epoch && state[side].score > previous[side].score) {
      flash(score);
      scored = side;
    }
  }
  if (root.classList.contains('sf-card')) {
    renderCardSets(root, state);
  }
  renderLines(find(root, '.sf-lines'), state);
  return scored;
}

/** Moves running clocks on: called once a second. */
export function tickClock(root: ParentNode, state: MatchState, now: number): void {
  if (state.clock.running && (state.status === 'live' || state.status === 'paused')) {
    setText(find(root, '.sf-clock'), clockText(state, now));
  }
}

// ---- timeline ------------------------------------------------------------------------------------------------

function incidentItem(state: MatchState, incident: Incident): HTMLLIElement {
  const item = h('li', { class: 'sf-incident', part: 'timeline-row' },
    h('span', { class: 'sf-incident-time' }),
    h('span', { class: 'sf-incident-what' }),
    h('span', { class: 'sf-incident-who' }));
  fillIncident(item, state, incident);
  return item;
}

function fillIncident(item: HTMLElement, state: MatchState, incident: Incident): void {
  item.dataset.incident = incident.id;
  item.dataset.type = incident.type;
  if (incident.team) {
    item.dataset.team = incident.team;
  } else {
    delete item.dataset.team;
  }
  setText(find(item, '.sf-incident-time'), incidentTime(state.sport, incident));
  setText(find(item, '.sf-incident-what'), incidentLabel(state.sport, incident));
  const team = incident.team === 'home' || incident.team === 'away' ? state[incident.team].name : '';
  const who = [incident.player, incident.detail].filter(Boolean).join(' · ');
  setText(find(item, '.sf-incident-who'), who && team ? `${who} (${team})` : who || team);
}

/** Shows the incidents newest first (at most `limit`), reusing the items already there. */
export function renderTimeline(list: HTMLElement, state: MatchState, limit = Infinity): void {
  const incidents = (state.incidents ?? []).slice().reverse().slice(0, limit);
  const existing = new Map<string, HTMLElement>();
  for (const item of Array.from(list.children) as HTMLElement[]) {
    existing.set(item.dataset.incident ?? '', item);
  }
  let at = 0;
  for (const incident of incidents) {
    let item = existing.get(incident.id);
    if (item) {
      existing.delete(incident.id);
      fillIncident(item, state, incident);
    } else {
      item = incidentItem(state, incident);
    }
    if (list.children[at] !== item) {
      list.insertBefore(item, list.children[at] ?? null);
    }
    at++;
  }
  existing.forEach((item) => item.remove());
  const empty = list.parentElement && find(list.parentElement, '.sf-timeline-empty');
  if (empty) {
    empty.hidden = incidents.length > 0;
  }
}

// ---- connection state and audience -----------------------------------------------------------------------------

const refusalText: Record<string, MessageKey> = {
  'unknown-key': 'refusal.notEnabled',
  'origin-not-allowed': 'refusal.notEnabled',
  'over-limit': 'refusal.overLimit',
  'token-required': 'refusal.notEnabled',
  'token-invalid': 'refusal.notEnabled',
};

export function statusText(status: ConnectionStatus, refusal?: Refusal): string {
  switch (status) {
    case 'live':
      return t('conn.live');
    case 'reconnecting':
      return t('conn.reconnecting');
    case 'offline':
      return t('conn.offline');
    case 'refused': {
      const known = refusal && refusalText[refusal.code];
      return known ? t(known) : refusal?.message || t('conn.refused');
    }
    default:
      return t('conn.connecting');
  }
}

export function showStatus(element: HTMLElement | null, status: ConnectionStatus, refusal?: Refusal): void {
  if (!element) {
    return;
  }
  element.dataset.status = status;
  setText(find(element, '.sf-conn-text') ?? element, statusText(status, refusal));
}

export function watchingText(watching: number): string {
  return t('match.watching', { n: watching });
}
