// The hub connection underneath ScoreFeedClient: SignalR over WebSockets without negotiation (the only place that
// names @microsoft/signalr), the seams unit tests replace (the connection, the timers), the reconnect backoff, and
// how a refusal reads in a close error.
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { RefusalPrefix } from './contract.js';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

/** What the client needs of a SignalR HubConnection (a fake one in unit tests). */
export interface HubConnectionLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  on(method: string, handler: (...args: any[]) => void): void;
  onclose(callback: (error?: Error) => void): void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Refusal {
  code: string;
  message: string;
}

export function defaultBackoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** `accessToken` (a partner's embed token) is asked for on every (re)connect and sent as `access_token`. */
export function hubConnection(url: string, accessToken?: () => Promise<string>): HubConnectionLike {
  return new HubConnectionBuilder()
    .withUrl(url, { skipNegotiation: true, transport: HttpTransportType.WebSockets, accessTokenFactory: accessToken })
    .configureLogging(LogLevel.None)
    .build();
}

/** The refusal in a close error (`… scorefeed-refused:{code}: {text}`), if it is one. */
export function parseRefusal(error: Error | undefined): Refusal | undefined {
  const text = error?.message ?? '';
  const at = text.indexOf(RefusalPrefix);
  if (at < 0) {
    return undefined;
  }
  const rest = text.slice(at + RefusalPrefix.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? { code: rest.trim(), message: '' } : { code: rest.slice(0, colon).trim(), message: rest.slice(colon + 1).trim() };
}
