// The fan pages (scoreboard, match page, embed page): server-rendered first, then live. The page's first state
// comes in #sf-config (rendered by the server from the read API), so the client subscribes with positions and
// receives only what changed since the page was rendered.
import { ScoreFeedClient, ServerClock, type MatchState } from '@scorefeed/client';
import '../i18n/all';
import { pickLanguage, setLanguage, t } from '../i18n';
import { setUpAlerts } from '../ui/alerts-ui';
import { setText } from '../ui/dom';
import { Following, wireStars } from '../ui/follow';
import { Announcer, scoredText, startTicker } from '../ui/live';
import { setUpTheme } from '../ui/theme';
import { Toasts, matchEvents } from '../ui/toasts';
import { renderTimeline, showStatus, tickClock, updateMatch, watchingText, type ViewContext } from '../ui/views';
import { rememberZone, viewerZone, zoneName } from '../ui/zone';
import { scoreboard, type View } from './scoreboard';
import { standingsPage } from './table';

interface PageConfig {
  page: 'scoreboard' | 'match' | 'embed' | 'table';
  hub: string;
  key?: string | null;
  topics: string[];
  matches: MatchState[];
  serverNow: number;
  names?: Record<string, string>;
  timelineLimit?: number;
  /** Stars to follow teams and matches (our own fan pages, not embed pages). */
  follow?: boolean;
}

const config = readConfig();
// The page's language is the one the server rendered it in (<html lang>).
setLanguage(pickLanguage(document.documentElement.lang));
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
  // The server painted times in the zone of the `sf-tz` cookie (UTC on a first visit): from here on, the browser's.
  rememberZone();
  setText(document.getElementById('sf-zone'), t('site.zone', { zone: zoneName(viewerZone(), Date.now()) }));
  const following = config.follow ? new Following() : undefined;
  if (following) {
    wireStars(document, following);
  }
  const context: ViewContext = {
    now: () => clock.now(),
    matchHref: (id) => `/matches/${encodeURIComponent(id)}`,
    newTab: config.page === 'embed',
    following,
  };
  const status = document.getElementById('sf-conn');
  client.onStatus((s, refusal) => showStatus(status, s, refusal));

  const view = config.page === 'scoreboard' ? scoreboard(config.names, context)
    : config.page === 'table' ? standingsPage() : matchPage(config, context, client);
  // Followed matches tell their events in toasts (read out there), instead of the views' own announcements.
  const toasts = following ? new Toasts() : undefined;
  if (following && toasts) {
    setUpAlerts(following, (text) => toasts.show(text));
  }
  client.onMatch((state, previous) => {
    view.changed(state, previous);
    if (toasts && following?.follows(state)) {
      matchEvents(state, previous).forEach((text) => toasts.show(text));
    }
  });
  startTicker(() => view.tick(clock.now()));
  client.tracker.seed(config.matches);
  // Paint the server's states once more: the same text, unless the page was painted for another time zone.
  config.matches.forEach((state) => view.changed(state, undefined));
  void client.subscribe(config.topics);
  client.start();
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
      if (scored && !context.following?.follows(state)) {
        announcer.say(scoredText(state, scored));
      }
    },
    tick(now) {
      if (current) {
        tickClock(hero, current, now);
      }
    },
  };
}
