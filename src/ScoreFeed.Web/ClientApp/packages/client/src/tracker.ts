// The client rules of the wire contract, mirroring the reference client ScoreFeed.Client.MatchTracker (C#):
// - apply an update only if seq == last + 1; drop seq <= last as a duplicate; a jump asks for recovery;
// - a new epoch asks for a re-snapshot;
// - between beginSubscribe() and completeSubscribe(), updates are held, then replayed once the snapshot is in,
//   dropping what it already holds.
import type { Incident, MatchState, MatchUpdate, StreamPosition, SubscribeResult } from './contract.js';

export type TrackerAction = 'none' | 'recover' | 'resnapshot';

/** Called for every change of a match the tracker holds: a snapshot taken, or an update applied. */
export type ChangeListener = (state: MatchState, previous: MatchState | undefined, update: MatchUpdate | undefined) => void;

export class MatchTracker {
  private readonly matches = new Map<string, MatchState>();
  private held: MatchUpdate[] = [];
  private pendingSubscribes = 0;

  applied = 0;
  duplicates = 0;
  gaps = 0;

  constructor(private readonly onChange: ChangeListener = () => {}) {}

  get(matchId: string): MatchState | undefined {
    return this.matches.get(matchId);
  }

  all(): MatchState[] {
    return [...this.matches.values()];
  }

  /** The positions to send with Subscribe to resume where this client is. */
  positions(): Record<string, StreamPosition> {
    const positions: Record<string, StreamPosition> = {};
    for (const [id, state] of this.matches) {
      positions[id] = { epoch: state.epoch, seq: state.seq };
    }
    return positions;
  }

  /** Takes states the client already holds (e.g. server-rendered into the page) as if a Subscribe had returned them. */
  seed(states: MatchState[]): void {
    this.takeSnapshots(states);
  }

  /** Call before invoking Subscribe: updates are held until its result is in. */
  beginSubscribe(): void {
    this.pendingSubscribes++;
  }

  /** Applies a Subscribe result, then the updates held meanwhile. Returns the matches that still need action. */
  completeSubscribe(result: Partial<SubscribeResult>): Map<string, TrackerAction> {
    const actions = new Map<string, TrackerAction>();
    this.takeSnapshots(result.matches ?? []);
    for (const update of result.recovered ?? []) {
      note(actions, update.matchId, this.apply(update));
    }
    if (--this.pendingSubscribes <= 0) {
      this.pendingSubscribes = 0;
      const held = this.held;
      this.held = [];
      for (const update of held) {
        note(actions, update.matchId, this.apply(update));
      }
    }
    return actions;
  }

  /** Feeds one pushed update. */
  onUpdate(update: MatchUpdate): TrackerAction {
    if (this.pendingSubscribes > 0) {
      this.held.push(update);
      return 'none';
    }
    return this.apply(update);
  }

  /** Forgets a match, so the next Subscribe sends no position for it and gets its full state. */
  forget(matchId: string): void {
    this.matches.delete(matchId);
  }

  private takeSnapshots(states: MatchState[]): void {
    for (const state of states) {
      const current = this.matches.get(state.matchId);
      // A snapshot older than what live updates already brought (same epoch) changes nothing.
      if (!current || current.epoch !== state.epoch || current.seq < state.seq) {
        const taken = { ...state, incidents: state.incidents ?? [] };
        this.matches.set(state.matchId, taken);
        this.onChange(taken, current, undefined);
      }
    }
  }

  private apply(update: MatchUpdate): TrackerAction {
    const current = this.matches.get(update.matchId);
    if (!current) {
      // First sight of a match (e.g. it just went live on the "live" topic): its state is complete but for the
      // incident timeline, which starts here.
      const adopted = { ...update.state, incidents: update.incident && !update.incident.removed ? [update.incident] : [] };
      this.matches.set(update.matchId, adopted);
      this.applied++;
      this.onChange(adopted, undefined, update);
      return 'none';
    }
    if (update.epoch !== current.epoch) {
      return 'resnapshot';
    }
    if (update.seq <= current.seq) {
      this.duplicates++;
      return 'none';
    }
    if (update.seq !== current.seq + 1) {
      this.gaps++;
      return 'recover';
    }
    const next = { ...update.state, incidents: withIncident(current.incidents ?? [], update.incident) };
    this.matches.set(update.matchId, next);
    this.applied++;
    this.onChange(next, current, update);
    return 'none';
  }
}

/**
 * An update's incident replaces the incident with its id, is appended if new, or, marked `removed` (an operator
 * removed it, e.g. a disallowed goal), drops the incident with its id.
 */
export function withIncident(incidents: Incident[], incident: Incident | null | undefined): Incident[] {
  if (!incident) {
    return incidents;
  }
  if (incident.removed) {
    return incidents.filter((i) => i.id !== incident.id);
  }
  const at = incidents.findIndex((i) => i.id === incident.id);
  return at < 0 ? [...incidents, incident] : [...incidents.slice(0, at), incident, ...incidents.slice(at + 1)];
}

function note(actions: Map<string, TrackerAction>, matchId: string, action: TrackerAction): void {
  if (action !== 'none') {
    actions.set(matchId, action);
  }
}
