// Match clocks run on the client from `clock` (no update per second), and the words shown for status and periods.
// The C# twin for server-rendered pages is src/ScoreFeed.Web/Pages/MatchView.cs: keep both in step.
import { t, type MessageKey } from '../i18n';
import type { Incident, MatchClock, MatchState, MatchStatus, Sport } from './contract';

/** Seconds the clock shows at `now`: up for football (since kick-off), down for basketball (left in the period). */
export function clockSeconds(clock: MatchClock, sport: Sport, now: number): number {
  if (!clock.running) {
    return clock.seconds;
  }
  const elapsed = Math.max(0, Math.floor((now - clock.at) / 1000));
  return sport === 'basketball' ? Math.max(0, clock.seconds - elapsed) : clock.seconds + elapsed;
}

/** `67:05`, or `103:12` in extra time. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

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

/**
 * The server's time, estimated from updates: a live update's `ts` is when ingest published it, so at receipt
 * `ts - Date.now()` is at most the offset between the server's clock and ours. The largest recent sample is the
 * best estimate (it is short of the truth by the delivery latency, a few ms on a good connection).
 */
export class ServerClock {
  private samples: number[] = [];
  private offset = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  sample(serverTime: number): void {
    this.samples.push(serverTime - this.localNow());
    if (this.samples.length > 20) {
      this.samples.shift();
    }
    this.offset = Math.max(...this.samples);
  }

  now(): number {
    return this.localNow() + this.offset;
  }
}
