// Signed embed tokens on the client side (docs/embedding.md, "Signed embed tokens"): the token the connection opens
// with (asked again on every reconnect), and a fresh one fetched shortly before it expires and handed to the hub
// (`Renew`), so the hub does not close a connection whose token ran out and the live stream never drops.
import type { Timers } from './connection.js';

export interface TokenSource {
  /** The token to start with (from the page, e.g. the widget's `token` attribute); may be undefined if `fresh` is set. */
  token?: string | undefined;
  /** A fresh token from the partner's server (e.g. fetched from the widget's `token-url`). */
  fresh?: () => Promise<string | undefined>;
}

/** A JWT's `exp`, in ms since the epoch; undefined if it has none or is not a JWT. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** When to fetch the next token: at 80 % of the current one's remaining life, at least 5 s before it ends. */
export function renewDelay(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return Math.max(0, Math.min(left * 0.8, left - 5_000));
}

/** Holds the current token and renews it before it expires; `renewed` passes each new one on (to the hub). */
export class TokenKeeper {
  private current: string | undefined;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly source: TokenSource,
    private readonly timers: Timers,
    private readonly renewed: (token: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.current = source.token;
  }

  get token(): string | undefined {
    return this.current;
  }

  /** The token to connect with: the current one, or a fresh one if there is none or it has expired. */
  async forConnect(): Promise<string> {
    const expires = this.current ? tokenExpiry(this.current) : undefined;
    if ((!this.current || (expires !== undefined && expires <= this.now())) && this.source.fresh) {
      this.current = (await this.source.fresh().catch(() => undefined)) ?? this.current;
    }
    this.schedule();
    return this.current ?? '';
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timers.clearTimeout(this.timer);
    const expires = this.current ? tokenExpiry(this.current) : undefined;
    if (this.stopped || expires === undefined || !this.source.fresh) {
      return;
    }
    this.timer = this.timers.setTimeout(() => void this.renew(), renewDelay(expires, this.now()));
  }

  private async renew(): Promise<void> {
    const next = await this.source.fresh?.().catch(() => undefined);
    if (next && next !== this.current) {
      this.current = next;
      await this.renewed(next).catch(() => undefined);
    }
    this.schedule();
  }
}
