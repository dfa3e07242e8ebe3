// How the console words what it shows: field names, pinned and audited values, audit actions, a correction.
import { formatClock, incidentLabel, incidentTime } from '../lib/clock';
import type { Incident, MatchState } from '../lib/contract';
import type { AuditEntry, CorrectionRequest } from './api';

export const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function fieldName(name: string): string {
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
export function valueText(name: string, value: unknown, state: MatchState): string {
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

export function actionText(entry: AuditEntry): string {
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

export function describeRequest(request: CorrectionRequest): string {
  const parts: string[] = [];
  if (request.home !== undefined) parts.push(`home ${request.home}`);
  if (request.away !== undefined) parts.push(`away ${request.away}`);
  if (request.status) parts.push(`status ${request.status}`);
  if (request.period !== undefined) parts.push(`period ${request.period}`);
  if (request.clock) parts.push(`clock ${formatClock(request.clock.seconds)}`);
  if (request.incident) parts.push(request.incident.removed ? `remove incident ${request.incident.id}` : `incident ${request.incident.id}: player ${request.incident.player}`);
  return `${parts.join(', ')} — “${request.reason}”`;
}
