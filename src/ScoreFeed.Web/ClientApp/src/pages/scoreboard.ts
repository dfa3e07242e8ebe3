// The scoreboard at `/` (and the competition embed page): cards by competition, in play first; on our own page the
// matches a fan follows (the match or one of its teams) first, in a "Following" section, and a filter to show only
// those. The server painted the same from the `sf-follow` and `sf-filter` cookies (Pages/Index.cshtml).
import { competitionName, isToday, listOrder } from '../ui/clock';
import { isInPlay, type MatchState } from '@scorefeed/client';
import { t } from '../i18n';
import { find, h } from '../ui/dom';
import { followingOnly, setFollowingOnly } from '../ui/follow';
import { Announcer, scoredText } from '../ui/live';
import { matchCard, tickClock, updateMatch, type ViewContext } from '../ui/views';

export interface View {
  changed(state: MatchState, previous: MatchState | undefined): void;
  tick(now: number): void;
}

export function scoreboard(names: Record<string, string> | undefined, context: ViewContext): View {
  const root = document.getElementById('sf-scoreboard')!;
  const announcer = new Announcer(document.getElementById('sf-announcer'));
  const states = new Map<string, MatchState>();
  const cards = new Map<string, HTMLElement>();
  root.querySelectorAll<HTMLElement>('.sf-card[data-match]').forEach((card) => cards.set(card.dataset.match!, card));
  const following = context.following;
  const followed = root.querySelector<HTMLElement>('.sf-following');

  const section = (competitionId: string, sport: string): HTMLElement => {
    const existing = root.querySelector<HTMLElement>(`.sf-competition[data-competition="${CSS.escape(competitionId)}"]`);
    if (existing) {
      return existing;
    }
    const headingId = `comp-${competitionId}`;
    const created = h('section', { class: 'sf-competition', 'data-competition': competitionId, 'aria-labelledby': headingId },
      // Football and basketball competitions have a table (docs/standings.md): the heading links to it.
      h('h2', { id: headingId }, sport === 'football' || sport === 'basketball'
        ? h('a', { href: `/competitions/${encodeURIComponent(competitionId)}/table`, title: t('table.link') }, competitionName(competitionId, names))
        : competitionName(competitionId, names)),
      h('ul', { class: 'sf-cards' }));
    const after = Array.from(root.querySelectorAll<HTMLElement>('.sf-competition:not(.sf-following)'))
      .find((s) => find(s, 'h2')!.textContent!.localeCompare(competitionName(competitionId, names)) > 0);
    root.insertBefore(created, after ?? null);
    find(root, '.sf-empty')?.remove();
    return created;
  };

  // Sections show only while they hold a card; the empty "Following" says how to follow when it is all there is.
  const tidy = () => {
    root.querySelectorAll<HTMLElement>('.sf-competition').forEach((s) => {
      s.hidden = find(s, '.sf-cards')!.children.length === 0;
    });
    const note = find(root, '.sf-following-empty');
    if (note && followed) {
      note.hidden = !(root.dataset.filter === 'following' && followed.hidden);
    }
  };

  const place = (state: MatchState, card: HTMLElement) => {
    const home = followed && following?.follows(state) ? followed : section(state.competitionId, state.sport);
    const list = find(home, '.sf-cards')!;
    const siblings = (Array.from(list.children) as HTMLElement[]).filter((c) => c !== card);
    const before = siblings.find((c) => {
      const other = states.get(c.dataset.match!);
      return other !== undefined && listOrder(state, other) < 0;
    });
    if (card.parentElement !== list || card.nextElementSibling !== (before ?? null)) {
      list.insertBefore(card, before ?? null);
    }
  };

  following?.onChange(() => {
    states.forEach((state, id) => {
      const card = cards.get(id);
      if (card) {
        place(state, card);
      }
    });
    tidy();
  });

  const filters = Array.from(document.querySelectorAll<HTMLButtonElement>('.sf-filter [data-filter]'));
  const showOnlyFollowed = (only: boolean) => {
    root.dataset.filter = only ? 'following' : 'all';
    filters.forEach((b) => b.setAttribute('aria-pressed', String((b.dataset.filter === 'following') === only)));
    setFollowingOnly(only);
    tidy();
  };
  filters.forEach((b) => b.addEventListener('click', () => showOnlyFollowed(b.dataset.filter === 'following')));
  if (filters.length > 0 && followingOnly() !== (root.dataset.filter === 'following')) {
    showOnlyFollowed(followingOnly());
  }

  return {
    changed(state, previous) {
      states.set(state.matchId, state);
      let card = cards.get(state.matchId);
      if (!isToday(state, context.now())) {
        // Not (or no longer) on the viewer's today: a page painted for another time zone, or a match moved.
        if (card) {
          card.remove();
          cards.delete(state.matchId);
          tidy();
        }
        return;
      }
      if (!card) {
        card = matchCard(state, context);
        cards.set(state.matchId, card);
        place(state, card);
        tidy();
        return;
      }
      const scored = updateMatch(card, state, previous, context);
      // The server rendered the cards in order; they move only when a status changes.
      if (previous && previous.status !== state.status) {
        place(state, card);
      }
      // Announce football goals and tennis sets only: basketball scores change far too often to read them all out.
      if (scored && state.sport !== 'basketball' && !following?.follows(state)) {
        announcer.say(scoredText(state, scored, 'say.goalFor'));
      }
    },
    tick(now) {
      for (const [id, state] of states) {
        if (isInPlay(state.status)) {
          const card = cards.get(id);
          if (card) {
            tickClock(card, state, now);
          }
        }
      }
    },
  };
}
