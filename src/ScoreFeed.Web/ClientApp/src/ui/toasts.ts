// What a fan who follows a match (or one of its teams) is told while the page is open: a goal, a red card, a goal
// an operator disallowed, the final whistle; the same events as the push alerts. Shown as toasts in a polite live
// region, read out once.
import { incidentTime } from './clock';
import type { MatchState } from '@scorefeed/client';
import { t } from '../i18n';
import { h } from './dom';

const goals = new Set(['goal', 'own-goal', 'penalty-goal']);

/** The events between two states of one match, oldest first; none across epochs (a re-snapshot is not news). */
export function matchEvents(state: MatchState, previous: MatchState | undefined): string[] {
  if (!previous || previous.epoch !== state.epoch || !previous.incidents || !state.incidents) {
    return [];
  }
  const score = `${state.home.name} ${state.home.score}–${state.away.score} ${state.away.name}`;
  const team = (side: string | null | undefined) => (side === 'home' || side === 'away' ? state[side].name : '');
  const before = new Map(previous.incidents.map((i) => [i.id, i]));
  const now = new Set(state.incidents.map((i) => i.id));
  const events: string[] = [];
  for (const incident of previous.incidents) {
    if (!now.has(incident.id) && goals.has(incident.type)) {
      events.push(t('toast.disallowed', { team: team(incident.team), score }));
    }
  }
  // A page that listed the match without its timeline did not hold the goal: the score says it.
  const fell = (['home', 'away'] as const).find((side) => state[side].score < previous[side].score);
  if (fell && events.length === 0 && state.sport === 'football') {
    events.push(t('toast.disallowed', { team: state[fell].name, score }));
  }
  for (const incident of state.incidents) {
    if (before.has(incident.id)) {
      continue;
    }
    const who = [incident.player, incident.team ? `(${team(incident.team)})` : ''].filter(Boolean).join(' ');
    if (goals.has(incident.type) && state.sport === 'football') {
      events.push(t('toast.goal', { score, who, time: incidentTime(state.sport, incident) }).trim());
    } else if (incident.type === 'red-card') {
      events.push(t('toast.redCard', { who, time: incidentTime(state.sport, incident) }).trim());
    }
  }
  if (state.status === 'final' && previous.status !== 'final') {
    events.push(t(state.sport === 'tennis' ? 'toast.finished' : 'toast.final', { score }));
  }
  return events;
}

/** Toasts at the bottom of the page; each goes after `lifetimeMs`, at most `max` at once (the oldest goes first). */
export class Toasts {
  private readonly region: HTMLElement;

  constructor(private readonly lifetimeMs = 8000, private readonly max = 3) {
    this.region = h('div', { class: 'sf-toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(this.region);
  }

  show(text: string): void {
    const toast = h('p', { class: 'sf-toast' }, text);
    this.region.append(toast);
    while (this.region.children.length > this.max) {
      this.region.firstElementChild!.remove();
    }
    setTimeout(() => toast.remove(), this.lifetimeMs);
  }
}
