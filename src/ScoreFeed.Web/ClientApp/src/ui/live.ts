// Small pieces every live view shares: the once-a-second clock ticker and the screen-reader announcer.
import type { MatchState } from '@scorefeed/client';
import { t } from '../i18n';

/** Calls `tick` at every wall-clock second while the page is visible (and once when it becomes visible again). */
export function startTicker(tick: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(run, 1000 - (Date.now() % 1000) + 5);
  };
  const run = () => {
    if (document.visibilityState !== 'hidden') {
      tick();
    }
    schedule();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') {
      tick();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  schedule();
  return () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/**
 * A polite live region, used sparingly: score changes only, and at most one message per `minGapMs`
 * (the latest wins), so a basketball game does not talk over the reader.
 */
export class Announcer {
  private last = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly region: HTMLElement | null, private readonly minGapMs = 0) {}

  say(text: string): void {
    if (!this.region) {
      return;
    }
    clearTimeout(this.pending);
    const wait = this.last + this.minGapMs - Date.now();
    if (wait > 0) {
      this.pending = setTimeout(() => this.say(text), wait);
      return;
    }
    this.last = Date.now();
    this.region.textContent = text;
  }
}

/**
 * What the announcer says when `side`'s score went up: for tennis that score is sets won, so a set won; for the other
 * sports `key` ("X scored", or "Goal for X" where only football is announced).
 */
export function scoredText(state: MatchState, side: 'home' | 'away', key: 'say.scored' | 'say.goalFor' = 'say.scored'): string {
  return t(state.sport === 'tennis' ? 'say.setWon' : key,
    { team: state[side].name, home: state.home.name, homeScore: state.home.score, away: state.away.name, awayScore: state.away.score });
}
