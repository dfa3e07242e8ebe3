// ScoreFeedClient: one hub connection, the topics a page or widget follows, and the contract's client rules.
// Connects over WebSockets without negotiation, subscribes, holds updates that arrive before the snapshot,
// drops duplicates, recovers gaps, re-snapshots on a new epoch, and after a drop reconnects with backoff and
// resumes from its positions. Tells its owner the connection state: live, reconnecting, offline or refused.
// The SignalR connection itself, the backoff and the refusal format are in connection.ts.
import {
  defaultBackoff,
  hubConnection,
  parseRefusal,
  type ConnectionStatus,
  type HubConnectionLike,
  type Refusal,
  type Timers,
} from './connection.js';
import {
  Methods,
  type AudienceMessage,
  type MatchState,
  type MatchUpdate,
  type SubscribeRequest,
  type SubscribeResult,
} from './contract.js';
import { TokenKeeper, type TokenSource } from './tokens.js';
import { MatchTracker, type TrackerAction } from './tracker.js';

export interface ClientOptions {
  /** `{HubBaseUrl}/hubs/scores`. */
  hubUrl: string;
  /** A partner key, for pages embedded on a partner's site. */
  key?: string | undefined;
  /** With `key`: the partner's signed embed token, and where fresh ones come from (renewed before expiry). */
  token?: TokenSource | undefined;
  /** Builds the hub connection; by default a SignalR one over WebSockets with skipNegotiation. */
  connect?: (url: string, accessToken?: () => Promise<string>) => HubConnectionLike;
  /** Delay before reconnect attempt `n` (0-based), in ms. Default: 0.5 s doubling to 30 s, with jitter. */
  backoff?: (attempt: number) => number;
  /** Failed attempts in a row after which the state reads "offline" rather than "reconnecting". */
  offlineAfter?: number;
  /** Delay before trying again after a partner was over its connection limit, in ms. */
  overLimitRetry?: number;
  timers?: Timers;
}

export type StatusListener = (status: ConnectionStatus, refusal?: Refusal) => void;
export type MatchListener = (state: MatchState, previous: MatchState | undefined, update: MatchUpdate | undefined) => void;

export class ScoreFeedClient {
  readonly tracker: MatchTracker;
  private readonly connection: HubConnectionLike;
  private readonly timers: Timers;
  private readonly backoff: (attempt: number) => number;
  private readonly offlineAfter: number;
  private readonly overLimitRetry: number;
  private readonly topics = new Map<string, number>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly matchListeners = new Set<MatchListener>();
  private readonly audienceListeners = new Set<(message: AudienceMessage) => void>();
  private readonly updateListeners = new Set<(update: MatchUpdate) => void>();
  private readonly watching = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private connected = false;
  private connecting = false;
  private closes = 0;
  private recoveryQueued = false;
  private started = false;
  private failures = 0;
  private retry: unknown;
  private current: ConnectionStatus = 'connecting';
  private refusal: Refusal | undefined;
  private readonly tokens: TokenKeeper | undefined;

  constructor(options: ClientOptions) {
    this.timers = options.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as number) };
    this.backoff = options.backoff ?? ((n) => defaultBackoff(n));
    this.offlineAfter = options.offlineAfter ?? 3;
    this.overLimitRetry = options.overLimitRetry ?? 60_000;
    this.tracker = new MatchTracker((state, previous, update) => this.matchListeners.forEach((l) => l(state, previous, update)));
    const url = options.key ? `${options.hubUrl}?key=${encodeURIComponent(options.key)}` : options.hubUrl;
    const keeper = options.key && options.token
      ? new TokenKeeper(options.token, this.timers, (token) => this.connected ? this.connection.invoke<number>(Methods.renew, token).then(() => undefined) : Promise.resolve())
      : undefined;
    this.tokens = keeper;
    this.connection = (options.connect ?? hubConnection)(url, keeper ? () => keeper.forConnect() : undefined);
    this.connection.on(Methods.update, (update: MatchUpdate) => this.onUpdate(update));
    this.connection.on(Methods.audience, (message: AudienceMessage) => {
      this.watching.set(message.matchId, message.watching);
      this.audienceListeners.forEach((l) => l(message));
    });
    this.connection.onclose((error) => this.onClose(error));
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** Approximate watchers of a match, once the hub has said. */
  audience(matchId: string): number | undefined {
    return this.watching.get(matchId);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    listener(this.current, this.refusal);
    return () => this.statusListeners.delete(listener);
  }

  /** Every change of a match: a snapshot taken or an update applied (in seq order). */
  onMatch(listener: MatchListener): () => void {
    this.matchListeners.add(listener);
    return () => this.matchListeners.delete(listener);
  }

  onAudience(listener: (message: AudienceMessage) => void): () => void {
    this.audienceListeners.add(listener);
    return () => this.audienceListeners.delete(listener);
  }

  /** Every update as it arrives (before the rules), e.g. to estimate the server's clock from `ts`. */
  onArrival(listener: (update: MatchUpdate) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  /** Connects (once); reconnects by itself until stop(). */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.reconnectNow);
      window.addEventListener('offline', this.wentOffline);
      document.addEventListener('visibilitychange', this.reconnectIfVisible);
    }
    void this.connect();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.timers.clearTimeout(this.retry);
    this.tokens?.stop();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.reconnectNow);
      window.removeEventListener('offline', this.wentOffline);
      document.removeEventListener('visibilitychange', this.reconnectIfVisible);
    }
    await this.connection.stop();
  }

  /** Follows topics (counted: two widgets on one match share it); subscribes at once when connected. */
  subscribe(topics: string[]): Promise<void> {
    const added = topics.filter((t) => {
      const n = this.topics.get(t) ?? 0;
      this.topics.set(t, n + 1);
      return n === 0;
    });
    return added.length > 0 && this.connected ? this.enqueue(added) : Promise.resolve();
  }

  /** Stops following topics no one else follows. */
  unsubscribe(topics: string[]): Promise<void> {
    const left = topics.filter((t) => {
      const n = (this.topics.get(t) ?? 0) - 1;
      if (n > 0) {
        this.topics.set(t, n);
        return false;
      }
      return this.topics.delete(t);
    });
    if (left.length === 0 || !this.connected) {
      return Promise.resolve();
    }
    return (this.queue = this.queue.then(() => this.connection.invoke<void>(Methods.unsubscribe, left)).catch(() => {
      // Closed meanwhile: the next connection subscribes to the remaining topics only.
    }));
  }

  private readonly reconnectNow = (): void => {
    if (this.started && !this.connected && !this.connecting && this.current !== 'refused') {
      this.timers.clearTimeout(this.retry);
      void this.connect();
    }
  };

  private readonly wentOffline = (): void => {
    if (!this.connected) {
      this.setStatus('offline');
    }
  };

  private readonly reconnectIfVisible = (): void => {
    if (document.visibilityState === 'visible') {
      this.reconnectNow();
    }
  };

  private async connect(): Promise<void> {
    if (!this.started || this.connecting || this.connected) {
      return;
    }
    this.connecting = true;
    const closes = this.closes;
    try {
      await this.connection.start();
    } catch (error: unknown) {
      this.connecting = false;
      // A refusal that arrives with the handshake's answer rejects start() instead of calling onclose.
      const refusal = parseRefusal(error instanceof Error ? error : undefined);
      if (refusal) {
        this.refused(refusal);
      } else {
        this.scheduleReconnect();
      }
      return;
    }
    this.connecting = false;
    if (closes !== this.closes) {
      // Closed right after the handshake (a refusal): onClose has dealt with it.
      return;
    }
    this.connected = true;
    // Resume: every topic, with the position of every match held, so the hub sends only what was missed.
    const topics = [...this.topics.keys()];
    if (topics.length === 0) {
      this.failures = 0;
      this.setStatus('live');
      return;
    }
    await this.enqueue(topics);
  }

  private scheduleReconnect(): void {
    if (!this.started) {
      return;
    }
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.setStatus(offline || this.failures >= this.offlineAfter ? 'offline' : 'reconnecting');
    const delay = this.backoff(this.failures++);
    this.timers.clearTimeout(this.retry);
    this.retry = this.timers.setTimeout(() => void this.connect(), delay);
  }

  private onClose(error?: Error): void {
    this.closes++;
    this.connected = false;
    this.connecting = false;
    const refusal = parseRefusal(error);
    if (refusal) {
      this.refused(refusal);
      return;
    }
    this.scheduleReconnect();
  }

  /** The hub refused the connection: shown with its reason; tried again only when waiting can help. */
  private refused(refusal: Refusal): void {
    this.refusal = refusal;
    this.setStatus('refused', refusal);
    if (refusal.code === 'token-invalid' && this.tokens && this.started) {
      // Most often a token that expired while the page slept: the next attempt fetches a fresh one.
      this.timers.clearTimeout(this.retry);
      this.retry = this.timers.setTimeout(() => void this.connect(), this.backoff(this.failures++));
    }
    if (refusal.code === 'over-limit' && this.started) {
      // Busy now, maybe not in a minute: try again, slowly.
      this.timers.clearTimeout(this.retry);
      this.retry = this.timers.setTimeout(() => {
        this.refusal = undefined;
        void this.connect();
      }, this.overLimitRetry);
    }
  }

  /** Subscribe calls run one after another: recovery requests during a subscribe wait for it. */
  private enqueue(topics: string[] | (() => string[])): Promise<void> {
    return (this.queue = this.queue
      .then(() => this.subscribeNow(typeof topics === 'function' ? topics() : topics))
      .catch((error: unknown) => console.error('ScoreFeed:', error)));
  }

  private async subscribeNow(topics: string[]): Promise<void> {
    if (!this.connected || topics.length === 0) {
      return;
    }
    const request: SubscribeRequest = { topics, positions: this.tracker.positions() };
    this.tracker.beginSubscribe();
    let result: SubscribeResult;
    try {
      result = await this.connection.invoke<SubscribeResult>(Methods.subscribe, request);
    } catch {
      // The connection closed meanwhile (onclose reconnects and resubscribes), or the hub refused the request.
      this.act(this.tracker.completeSubscribe({}));
      return;
    }
    const actions = this.tracker.completeSubscribe(result);
    this.failures = 0;
    this.refusal = undefined;
    this.setStatus('live');
    this.act(actions);
  }

  private onUpdate(update: MatchUpdate): void {
    this.updateListeners.forEach((l) => l(update));
    const action = this.tracker.onUpdate(update);
    if (action !== 'none') {
      this.act(new Map([[update.matchId, action]]));
    }
  }

  /** Recovery: subscribe again with positions (a gap), or without this match's position (a new epoch). */
  private act(actions: Map<string, TrackerAction>): void {
    if (actions.size === 0) {
      return;
    }
    for (const [matchId, action] of actions) {
      if (action === 'resnapshot') {
        this.tracker.forget(matchId);
      }
    }
    // One recovery at a time: updates arriving while it runs are held and replayed after its result.
    if (!this.recoveryQueued) {
      this.recoveryQueued = true;
      void this.enqueue(() => {
        this.recoveryQueued = false;
        return [...this.topics.keys()];
      });
    }
  }

  private setStatus(status: ConnectionStatus, refusal?: Refusal): void {
    if (status === this.current && !refusal) {
      return;
    }
    this.current = status;
    this.statusListeners.forEach((l) => l(status, refusal));
  }
}
