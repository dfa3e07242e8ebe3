// The words shown for match clocks, statuses and periods, and the order of match lists. The clock itself runs in
// @scorefeed/client (packages/client/src/clock.ts). The C# twin for server-rendered pages is
// src/ScoreFeed.Web/Pages/MatchView.cs: keep both in step.
import { clockSeconds, formatClock, type Incident, type MatchState, type MatchStatus, type Sport } from '@scorefeed/client';
import { t, type MessageKey } from '../i18n';

/** The clock as shown on a card, or '' when the match has no running time to show. */
export function clockText(state: MatchState, now: number): string {
  if (state.status !== 'live' && state.status !== 'paused') {
    return '';
  }
  return formatClock(clockSeconds(state.clock, state.sport, now));
}

export function periodLabel(sport: Sport, period: number): string {
  if (period <= 0) {
    return '';
  }
  if (sport === 'basketball') {
    return period <= 4 ? t('period.quarter', { n: period }) : t('period.overtime', { n: period - 4 });
  }
  if (sport === 'tennis') {
    return t('period.set', { n: period });
  }
  return period <= 5 ? t(`period.${period}` as MessageKey) : t('period.n', { n: period });
}

/** The status chip: what a fan reads first. */
export function statusLabel(status: MatchStatus, sport: Sport, period: number): string {
  switch (status) {
    case 'live':
      return t('status.live');
    case 'paused':
      return sport === 'football' && period === 1 ? t('status.halfTime') : t('status.break');
    case 'final':
      return sport === 'tennis' ? t('status.finished') : t('status.final');
    case 'postponed':
      return t('status.postponed');
    case 'cancelled':
      return t('status.cancelled');
    default:
      return t('status.upcoming');
  }
}

/** When an incident happened: `23'` (football minute), `Q2 4:12` (basketball) or `Set 2` (tennis). */
export function incidentTime(sport: Sport, incident: Incident): string {
  if (sport === 'tennis') {
    return periodLabel(sport, incident.period);
  }
  if (sport === 'basketball') {
    return `${periodLabel(sport, incident.period)} ${formatClock(incident.seconds)}`.trim();
  }
  return `${Math.floor(incident.seconds / 60) + 1}'`;
}

const incidentWords = new Set(['goal', 'own-goal', 'penalty-goal', 'yellow-card', 'red-card', 'substitution', 'timeout', 'retirement']);

/** `Goal`, `3 points`, `Start of 2nd half`, … */
export function incidentLabel(sport: Sport, incident: Incident): string {
  if (incident.type === 'points') {
    return incident.points === 1 ? t('incident.freeThrow') : t('incident.points', { n: incident.points ?? 0 });
  }
  if (incident.type === 'period-start' || incident.type === 'period-end') {
    const period = periodLabel(sport, incident.period) || t('incident.play');
    return t(incident.type === 'period-start' ? 'incident.startOf' : 'incident.endOf', { period });
  }
  return incidentWords.has(incident.type) ? t(`incident.${incident.type}` as MessageKey) : incident.type;
}

/** Readable competition name from its id when none is configured: `sim-euro-basket` → `Sim Euro Basket`. */
export function competitionName(id: string, names?: Record<string, string>): string {
  return names?.[id] ?? id.split(/[-_]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

/** The order of cards in a list: in play first, then upcoming, then the rest; by start time within each. */
export function listOrder(a: MatchState, b: MatchState): number {
  const rank = (m: MatchState) => (m.status === 'live' || m.status === 'paused' ? 0 : m.status === 'scheduled' ? 1 : 2);
  return rank(a) - rank(b) || a.startsAt - b.startsAt || (a.matchId < b.matchId ? -1 : a.matchId > b.matchId ? 1 : 0);
}

/** "Today's" matches: in play, or starting on the viewer's calendar day (in the browser's time zone). */
export function isToday(state: MatchState, now: number): boolean {
  return state.status === 'live' || state.status === 'paused' || new Date(state.startsAt).toDateString() === new Date(now).toDateString();
}
