// How the console words what it shows: field names, pinned and audited values, audit actions, a correction.
import { formatClock, type Incident, type MatchState, type ScorePair } from '@scorefeed/client';
import { incidentLabel, incidentTime } from '../ui/clock';
import type { AuditEntry, CorrectionRequest } from './api';
import { isOperatorKey, joinParts, ot, type OperatorKey } from './words';

const fields: Record<string, OperatorKey> = {
  home: 'op.field.home',
  away: 'op.field.away',
  status: 'op.field.status',
  period: 'op.field.period',
  clock: 'op.field.clock',
  points: 'op.field.points',
  games: 'op.field.games',
  server: 'op.field.server',
};

export function fieldName(name: string): string {
  if (name.startsWith('incident:')) {
    return ot('op.field.incident', { id: name.slice('incident:'.length) });
  }
  return name in fields ? ot(fields[name]) : name;
}

/** A pinned or audited value as text: scores and periods as numbers, the clock as mm:ss, an incident by its label. */
export function valueText(name: string, value: unknown, state: MatchState): string {
  if (value === null || value === undefined) {
    return name.startsWith('incident:') ? ot('op.valueNone') : '—';
  }
  if (name === 'clock' && typeof value === 'object') {
    const clock = value as { running?: boolean; seconds?: number };
    return ot(clock.running ? 'op.clockRunning' : 'op.clockStopped', { clock: formatClock(clock.seconds ?? 0) });
  }
  if (name.startsWith('incident:') && typeof value === 'object') {
    return incidentText(state, value as Incident);
  }
  if ((name === 'points' || name === 'games') && typeof value === 'object') {
    const pair = value as ScorePair;
    return `${pair.home}–${pair.away}`;
  }
  if (name === 'server' && (value === 'home' || value === 'away')) {
    return ot(`op.side.${value}`);
  }
  if (name === 'status' && typeof value === 'string') {
    return statusValue(value);
  }
  return String(value);
}

/** An incident as the form and the audit list it: time, label, player, side. */
export function incidentText(state: Pick<MatchState, 'sport'>, incident: Incident, withSide = false): string {
  const player = incident.player ? ` – ${incident.player}` : '';
  const side = withSide && (incident.team === 'home' || incident.team === 'away') ? ` (${ot(`op.side.${incident.team}`)})` : '';
  return `${incidentTime(state.sport, incident)} ${incidentLabel(state.sport, incident)}${player}${side}`;
}

/** A status value (the contract's word) as the operator reads it. */
export function statusValue(status: string): string {
  const key = `op.state.${status}`;
  return isOperatorKey(key) ? ot(key) : status;
}

export function actionText(entry: Pick<AuditEntry, 'action'>): string {
  const key = `op.action.${entry.action}`;
  return isOperatorKey(key) ? ot(key) : entry.action;
}

export function describeRequest(request: CorrectionRequest): string {
  const parts: string[] = [];
  if (request.home !== undefined) parts.push(ot('op.request.home', { score: String(request.home) }));
  if (request.away !== undefined) parts.push(ot('op.request.away', { score: String(request.away) }));
  if (request.status) parts.push(ot('op.request.status', { status: statusValue(request.status) }));
  if (request.period !== undefined) parts.push(ot('op.request.period', { period: String(request.period) }));
  if (request.clock) parts.push(ot('op.request.clock', { clock: formatClock(request.clock.seconds) }));
  const tennis = request.tennis;
  if (tennis?.points) parts.push(ot('op.request.points', { home: String(tennis.points.home), away: String(tennis.points.away) }));
  if (tennis?.games) parts.push(ot('op.request.games', { home: String(tennis.games.home), away: String(tennis.games.away) }));
  if (tennis?.server) parts.push(ot('op.request.server', { side: ot(`op.side.${tennis.server}`) }));
  const incident = request.incident;
  if (incident) {
    const id = incident.id ?? '';
    parts.push(incident.removed ? ot('op.request.remove', { id }) : ot('op.request.player', { id, player: incident.player ?? '' }));
  }
  return ot('op.request.text', { parts: joinParts(parts), reason: request.reason });
}
