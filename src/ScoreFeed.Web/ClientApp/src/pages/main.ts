// The fan pages (scoreboard, match page, embed page): server-rendered first, then live. The page's first state
// comes in #sf-config (rendered by the server from the read API), so the client subscribes with positions and
// receives only what changed since the page was rendered.
import { ServerClock, competitionName, isToday, listOrder } from '../lib/clock';
import { ScoreFeedClient } from '../lib/client';
import { isInPlay, type MatchState } from '../lib/contract';
import { find, h, setText } from '../ui/dom';
import { Announcer, startTicker } from '../ui/live';
import { setUpTheme } from '../ui/theme';
import { matchCard, renderTimeline, showStatus, tickClock, updateMatch, watchingText, type ViewContext } from '../ui/views';

interface PageConfig {
  page: 'scoreboard' | 'match' | 'embed';
  hub: string;
  key?: string | null;
  topics: string[];
  matches: MatchState[];
  serverNow: number;
  names?: Record<string, string>;
  timelineLimit?: number;
}

const config = readConfig();
if (config) {
  setUpTheme();
  run(config);
}

function readConfig(): PageConfig | undefined {
  const element = document.getElementById('sf-config');
  return element?.textContent ? (JSON.parse(element.textContent) as PageConfig) : undefined;
}

function run(config: PageConfig): void {
  const clock = new ServerClock();
  clock.sample(config.serverNow);
  const client = new ScoreFeedClient({ hubUrl: config.hub, key: config.key ?? undefined });
  client.onArrival((update) => clock.sample(update.ts));
  const context: ViewContext = {
    now: () => clock.now(),
    matchHref: (id) => `/matches/${encodeURIComponent(id)}`,
    newTab: config.page === 'embed',
  };
  const status = document.getElementById('sf-conn');
  client.onStatus((s, refusal) => showStatus(status, s, refusal));

  const view = config.page === 'scoreboard' ? scoreboard(config, context) : matchPage(config, context, client);
  client.onMatch((state, previous) => view.changed(state, previous));
  startTicker(() => view.tick(clock.now()));
  client.tracker.seed(config.matches);
  void client.subscribe(config.topics);
  client.start();
}

interface View {
  changed(state: MatchState, previous: MatchState | undefined): void;
  tick(now: number): void;
}

function scoreboard(config: PageConfig, context: ViewContext): View {
  const root = document.getElementById('sf-scoreboard')!;
  const announcer = new Announcer(document.getElementById('sf-announcer'));
  const states = new Map<string, MatchState>();
  const cards = new Map<string, HTMLElement>();
  root.querySelectorAll<HTMLElement>('.sf-card[data-match]').forEach((card) => cards.set(card.dataset.match!, card));

  const section = (competitionId: string): HTMLElement => {
    const existing = root.querySelector<HTMLElement>(`.sf-competition[data-competition="${CSS.escape(competitionId)}"]`);
    if (existing) {
      return existing;
    }
    const headingId = `comp-${competitionId}`;
    const created = h('section', { class: 'sf-competition', 'data-competition': competitionId, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, competitionName(competitionId, config.names)),
      h('ul', { class: 'sf-cards' }));
    const after = Array.from(root.querySelectorAll<HTMLElement>('.sf-competition'))
      .find((s) => find(s, 'h2')!.textContent!.localeCompare(competitionName(competitionId, config.names)) > 0);
    root.insertBefore(created, after ?? null);
    find(root, '.sf-empty')?.remove();
    return created;
  };

  const place = (state: MatchState, card: HTMLElement) => {
    const list = find(section(state.competitionId), '.sf-cards')!;
    const siblings = (Array.from(list.children) as HTMLElement[]).filter((c) => c !== card);
    const before = siblings.find((c) => {
      const other = states.get(c.dataset.match!);
      return other !== undefined && listOrder(state, other) < 0;
    });
    if (card.parentElement !== list || card.nextElementSibling !== (before ?? null)) {
      list.insertBefore(card, before ?? null);
    }
  };

  return {
    changed(state, previous) {
      states.set(state.matchId, state);
      let card = cards.get(state.matchId);
      if (!card) {
        if (!isToday(state, context.now())) {
          return;
        }
        card = matchCard(state, context);
        cards.set(state.matchId, card);
        place(state, card);
        return;
      }
      const scored = updateMatch(card, state, previous, context);
      // The server rendered the cards in order; they move only when a status changes.
      if (previous && previous.status !== state.status) {
        place(state, card);
      }
      // Announce football goals only: basketball scores change far too often to read them all out.
      if (scored && state.sport === 'football') {
        announcer.say(`Goal for ${state[scored].name}. ${state.home.name} ${state.home.score}, ${state.away.name} ${state.away.score}.`);
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

function matchPage(config: PageConfig, context: ViewContext, client: ScoreFeedClient): View {
  const matchId = config.matches[0]?.matchId ?? document.querySelector<HTMLElement>('[data-match]')?.dataset.match ?? '';
  const hero = document.getElementById('sf-hero')!;
  const timeline = document.getElementById('sf-timeline');
  const watching = document.getElementById('sf-watching');
  // Basketball scores change every few seconds: one announcement per 20 s at most.
  const announcer = new Announcer(document.getElementById('sf-announcer'), config.matches[0]?.sport === 'basketball' ? 20_000 : 0);
  let current: MatchState | undefined;
  client.onAudience((message) => {
    if (message.matchId === matchId && watching) {
      watching.hidden = false;
      setText(watching, watchingText(message.watching));
    }
  });
  return {
    changed(state, previous) {
      if (state.matchId !== matchId) {
        return;
      }
      current = state;
      const scored = updateMatch(hero, state, previous, context);
      if (timeline) {
        renderTimeline(timeline, state, config.timelineLimit ?? Infinity);
      }
      if (config.page === 'match') {
        document.title = `${state.home.name} ${state.status === 'scheduled' ? 'v' : `${state.home.score}–${state.away.score}`} ${state.away.name} · ScoreFeed`;
      }
      if (scored) {
        announcer.say(`${state[scored].name} scored. ${state.home.name} ${state.home.score}, ${state.away.name} ${state.away.score}.`);
      }
    },
    tick(now) {
      if (current) {
        tickClock(hero, current, now);
      }
    },
  };
}
