import type { HubConnectionLike, Incident, MatchState, MatchUpdate, Timers } from '@scorefeed/client';

export function state(seq: number, overrides: Partial<MatchState> = {}): MatchState {
  return {
    matchId: 'm1',
    competitionId: 'c1',
    sport: 'football',
    home: { id: 'h', name: 'Home Town', score: 0 },
    away: { id: 'a', name: 'Away City', score: 0 },
    status: 'live',
    period: 1,
    clock: { running: true, seconds: 0, at: 0 },
    startsAt: 0,
    epoch: 'e1',
    seq,
    updatedAt: 0,
    incidents: [],
    ...overrides,
  };
}

export function update(seq: number, overrides: { epoch?: string; matchId?: string; incident?: Incident; home?: number } = {}): MatchUpdate {
  const epoch = overrides.epoch ?? 'e1';
  const matchId = overrides.matchId ?? 'm1';
  return {
    matchId,
    competitionId: 'c1',
    epoch,
    seq,
    ts: 0,
    source: 'feed',
    state: { ...state(seq, { epoch, matchId, home: { id: 'h', name: 'Home Town', score: overrides.home ?? seq } }), incidents: null },
    incident: overrides.incident ?? null,
  };
}

interface Invocation {
  method: string;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A hub connection whose every step the test drives. */
export class FakeHub implements HubConnectionLike {
  readonly handlers = new Map<string, (...args: any[]) => void>();
  readonly invocations: Invocation[] = [];
  /** What each start() does, in order; once empty, start() succeeds. */
  readonly starts: (() => Promise<void>)[] = [];
  startCount = 0;
  private closed: ((error?: Error) => void) | undefined;

  constructor(readonly url: string) {}

  start(): Promise<void> {
    this.startCount++;
    return this.starts.shift()?.() ?? Promise.resolve();
  }

  stop(): Promise<void> {
    this.closed?.();
    return Promise.resolve();
  }

  invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => this.invocations.push({ method, args, resolve: resolve as (v: unknown) => void, reject }));
  }

  on(method: string, handler: (...args: any[]) => void): void {
    this.handlers.set(method, handler);
  }

  onclose(callback: (error?: Error) => void): void {
    this.closed = callback;
  }

  push(method: string, payload: unknown): void {
    this.handlers.get(method)?.(payload);
  }

  close(error?: Error): void {
    this.closed?.(error);
  }

  /** The oldest invocation not answered yet. */
  next(): Invocation {
    const invocation = this.invocations.shift();
    if (!invocation) {
      throw new Error('no pending invocation');
    }
    return invocation;
  }
}

/** Timers that fire only when the test says so. */
export class ManualTimers implements Timers {
  private seq = 0;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Runs every pending timer; returns their delays. */
  fireAll(): number[] {
    const due = [...this.pending.values()];
    this.pending.clear();
    due.forEach((t) => t.callback());
    return due.map((t) => t.ms);
  }
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
