// The operator API on ingest (docs/wire-contract.md, "Operator API"), called from the browser with a bearer token.
// The token lives in memory and in sessionStorage (this tab only, gone when it closes), never in a cookie.
import type { Incident, MatchState, ScorePair } from '@scorefeed/client';
import { ot } from './words';

export interface Pin {
  value: unknown;
  feed: unknown;
  by: string;
  at: number;
  reason: string;
}

export interface OperatorMatch {
  state: MatchState;
  pins: Record<string, Pin>;
  auditId?: string | null;
}

export interface AuditEntry {
  id: string;
  at: number;
  seq: number;
  operator: string;
  action: 'correction' | 'undo' | 'release' | 'pin-cleared' | string;
  reason: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  pinned: string[];
  released: string[];
  undoOf?: string | null;
}

export interface CorrectionRequest {
  home?: number;
  away?: number;
  status?: string;
  period?: number;
  clock?: { running?: boolean; seconds: number };
  incident?: Partial<Incident> & { id?: string; removed?: boolean };
  /** Tennis only: the current game's points, the current set's games, the server. */
  tennis?: { points?: ScorePair; games?: ScorePair; server?: 'home' | 'away' };
  expectedSeq?: number;
  reason: string;
}

export interface Session {
  token: string;
  expiresAt: number;
  name: string;
}

/** What a call gave back: the body on success, or a problem (status, a text for people, the 409's state and pins). */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; message: string; conflict?: OperatorMatch };

const storageKey = 'sf-operator-session';

/** The `name` claim of a JWT (for display only: the server decides who may do what). */
export function nameOf(token: string): string {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as Record<string, unknown>;
    return String(claims.name ?? claims.sub ?? 'operator');
  } catch {
    return 'operator';
  }
}

export class OperatorApi {
  private session: Session | undefined;

  constructor(private readonly baseUrl: string, private readonly onUnauthorized: () => void) {
    this.session = OperatorApi.load();
  }

  get current(): Session | undefined {
    if (this.session && this.session.expiresAt <= Date.now()) {
      this.signOut();
    }
    return this.session;
  }

  async signIn(username: string, password: string): Promise<Outcome<Session>> {
    const outcome = await this.call<{ accessToken: string; expiresAt: number }>('POST', '/api/v1/auth/token', { username, password }, false);
    if (!outcome.ok) {
      return outcome;
    }
    this.session = { token: outcome.value.accessToken, expiresAt: outcome.value.expiresAt, name: nameOf(outcome.value.accessToken) };
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(this.session));
    } catch {
      // Storage refused (private mode): the session lives in memory until the page closes.
    }
    return { ok: true, value: this.session };
  }

  signOut(): void {
    this.session = undefined;
    try {
      sessionStorage.removeItem(storageKey);
    } catch {
      // nothing stored
    }
  }

  pins(matchId: string): Promise<Outcome<OperatorMatch>> {
    return this.call('GET', `${matchPath(matchId)}/pins`);
  }

  audit(matchId: string): Promise<Outcome<{ matchId: string; entries: AuditEntry[] }>> {
    return this.call('GET', `${matchPath(matchId)}/audit`);
  }

  correct(matchId: string, request: CorrectionRequest): Promise<Outcome<OperatorMatch>> {
    return this.call('POST', `${matchPath(matchId)}/corrections`, request);
  }

  undo(matchId: string, entryId: string, reason: string, expectedSeq: number): Promise<Outcome<OperatorMatch>> {
    return this.call('POST', `${matchPath(matchId)}/audit/${encodeURIComponent(entryId)}/undo`, { reason, expectedSeq });
  }

  release(matchId: string, field: string | undefined, reason: string, expectedSeq: number): Promise<Outcome<OperatorMatch>> {
    const query = `?reason=${encodeURIComponent(reason)}&expectedSeq=${expectedSeq}`;
    return this.call('DELETE', `${matchPath(matchId)}/pins${field ? `/${encodeURIComponent(field)}` : ''}${query}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, authorized = true): Promise<Outcome<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const session = authorized ? this.current : undefined;
    if (authorized) {
      if (!session) {
        this.onUnauthorized();
        return { ok: false, status: 401, message: ot('op.error.signIn') };
      }
      headers.Authorization = `Bearer ${session.token}`;
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return { ok: false, status: 0, message: ot('op.error.unreachable') };
    }
    const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.ok) {
      return { ok: true, value: json as T };
    }
    if (response.status === 401 && authorized) {
      this.signOut();
      this.onUnauthorized();
    }
    return { ok: false, status: response.status, message: problemText(response, json), conflict: response.status === 409 ? (json as unknown as OperatorMatch) : undefined };
  }

  private static load(): Session | undefined {
    try {
      const stored = sessionStorage.getItem(storageKey);
      const session = stored ? (JSON.parse(stored) as Session) : undefined;
      return session && session.expiresAt > Date.now() ? session : undefined;
    } catch {
      return undefined;
    }
  }
}

function matchPath(matchId: string): string {
  return `/api/v1/matches/${encodeURIComponent(matchId)}`;
}

/** A problem+json answer as a sentence for the operator. */
export function problemText(response: { status: number; headers: { get(name: string): string | null } }, problem: Record<string, unknown> | undefined): string {
  switch (response.status) {
    case 401:
      return problem?.detail ? String(problem.detail) : ot('op.error.credentials');
    case 403:
      return ot('op.error.forbidden');
    case 429: {
      const seconds = response.headers.get('Retry-After');
      return seconds ? ot('op.error.tooMany', { seconds }) : ot('op.error.tooManySoon');
    }
    case 503:
      return ot('op.error.unavailable');
  }
  const errors = problem?.errors as Record<string, string[]> | undefined;
  if (errors) {
    return Object.entries(errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join(' ');
  }
  return String(problem?.detail ?? problem?.title ?? ot('op.error.failed', { status: String(response.status) }));
}
