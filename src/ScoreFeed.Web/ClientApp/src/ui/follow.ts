// The teams and matches a fan follows, kept in the browser (cookie `sf-follow`, a year) so that the server paints
// the next page with them (Pages/Viewer.cs): stars pressed, followed matches first. No account.
import type { MatchState } from '@scorefeed/client';
import { t } from '../i18n';
import { h } from './dom';

/** `m:{matchId}` or `t:{teamId}`. */
export type FollowEntry = `m:${string}` | `t:${string}`;

const cookieName = 'sf-follow';
/** As many as the server reads (Following.Max). */
export const maxFollowed = 50;

function readCookie(name: string): string | undefined {
  return document.cookie.split('; ').find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
}

function writeCookie(name: string, value: string): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = value
    ? `${name}=${value}; path=/; max-age=31536000; samesite=lax${secure}`
    : `${name}=; path=/; max-age=0; samesite=lax${secure}`;
}

export class Following {
  private readonly entries: FollowEntry[];
  private readonly listeners: ((entry: FollowEntry, followed: boolean) => void)[] = [];

  constructor(entries: string[] = (readCookie(cookieName) ?? '').split('.')) {
    this.entries = entries.filter((e): e is FollowEntry => /^[mt]:[A-Za-z0-9_-]{1,64}$/.test(e)).slice(0, maxFollowed);
  }

  get all(): readonly FollowEntry[] {
    return this.entries;
  }

  has(entry: FollowEntry): boolean {
    return this.entries.includes(entry);
  }

  /** The match is followed, or one of its teams is. */
  follows(state: MatchState): boolean {
    return this.has(`m:${state.matchId}`) || this.has(`t:${state.home.id}`) || this.has(`t:${state.away.id}`);
  }

  /** Follows or unfollows; past the limit the oldest entry goes. Returns whether it is followed now. */
  toggle(entry: FollowEntry): boolean {
    const at = this.entries.indexOf(entry);
    if (at >= 0) {
      this.entries.splice(at, 1);
    } else {
      this.entries.push(entry);
      if (this.entries.length > maxFollowed) {
        this.entries.shift();
      }
    }
    writeCookie(cookieName, this.entries.join('.'));
    const followed = at < 0;
    this.listeners.forEach((listener) => listener(entry, followed));
    return followed;
  }

  onChange(listener: (entry: FollowEntry, followed: boolean) => void): void {
    this.listeners.push(listener);
  }
}

/** Whether the scoreboard shows only followed matches (cookie `sf-filter`). */
export function followingOnly(): boolean {
  return readCookie('sf-filter') === 'following';
}

export function setFollowingOnly(only: boolean): void {
  writeCookie('sf-filter', only ? 'following' : '');
}

/** A star button (☆, ★ when pressed: CSS); the same markup as Pages/Shared/_Star.cshtml. */
export function star(entry: FollowEntry, name: string, pressed: boolean): HTMLButtonElement {
  return h('button', { class: 'sf-star', type: 'button', 'data-follow': entry, 'aria-pressed': String(pressed), 'aria-label': t('follow.label', { name }) },
    h('span', { class: 'sf-star-icon', 'aria-hidden': 'true' }));
}

/** The star's accessible name for a match: "Follow Harbour City v Kingsport Athletic". */
export const matchName = (state: MatchState): string => t('follow.vs', { home: state.home.name, away: state.away.name });

/**
 * Makes every star on the page work (one listener for those painted and those added later) and keeps all stars of
 * one entry in step.
 */
export function wireStars(root: Document, following: Following): void {
  root.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('.sf-star[data-follow]');
    if (button) {
      event.preventDefault();
      following.toggle(button.dataset.follow as FollowEntry);
    }
  });
  following.onChange((entry, followed) => {
    root.querySelectorAll<HTMLButtonElement>(`.sf-star[data-follow="${CSS.escape(entry)}"]`).forEach((b) => b.setAttribute('aria-pressed', String(followed)));
  });
}
