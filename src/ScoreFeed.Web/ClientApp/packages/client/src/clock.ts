// The match clock as clients run it from `clock` (there is no update per second), and the server's time as updates
// tell it. The words shown for clocks, statuses and periods are the web app's (ClientApp/src/ui/clock.ts).
import type { MatchClock, Sport } from './contract.js';

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
