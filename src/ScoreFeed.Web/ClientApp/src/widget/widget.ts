// The embeddable widget. Partners paste
//   <script src="{web}/widget.js" async></script>
//   <scorefeed-match match="{id}" key="{partnerKey}" theme="light|dark" layout="full|compact"
//                    token="{signed embed token}" token-url="{partner URL answering { token }}"></scorefeed-match>
//   <scorefeed-scoreboard competition="{id}" key="{partnerKey}"></scorefeed-scoreboard>
// Custom elements with an open Shadow DOM: the partner's CSS does not reach in and ours does not leak out.
// All elements of one key on a page share one hub connection. Partners theme them with --scorefeed-* properties
// and ::part (docs/embedding.md, "Theming"); contrast.ts keeps their text readable.
import { ScoreFeedClient, ServerClock, competitionTopic, idPattern, isInPlay, matchTopic, standingsTopic, type MatchState, type TokenSource } from '@scorefeed/client';
import { competitionName, isToday, listOrder } from '../ui/clock';
import { isRightToLeft, pickLanguage, setLanguage, t, type Language } from '../i18n';
import { ContrastGuard } from './contrast';
import { loadWords } from './words';
import { h, setText } from '../ui/dom';
import { Announcer, scoredText, startTicker } from '../ui/live';
import { renderLines } from '../ui/scores';
import { paintStandings, standingsTable } from '../pages/table';
import { matchCard, renderTimeline, showStatus, tickClock, updateMatch, watchingText, type ViewContext } from '../ui/views';

declare const __WIDGET_CSS__: string;

// The web app writes its hub base URL here when it serves this file; a `hub` attribute overrides it.
const configuredHub = '__SCOREFEED_HUB_BASE_URL__';
// …and the competitions' display names, as JSON.
const names = parseNames('__SCOREFEED_COMPETITION_NAMES__');
const script = document.currentScript as HTMLScriptElement | null;
const webOrigin = script?.src ? new URL(script.src).origin : location.origin;

function parseNames(json: string): Record<string, string> {
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

const clock = new ServerClock();
const clients = new Map<string, ScoreFeedClient>();

/** One client per hub and key: the first element of a key brings its token (and where fresh ones come from). */
function clientFor(hub: string, key: string, token: TokenSource | undefined): ScoreFeedClient {
  const id = `${hub} ${key}`;
  let client = clients.get(id);
  if (!client) {
    client = new ScoreFeedClient({ hubUrl: `${hub.replace(/\/+$/, '')}/hubs/scores`, key, token });
    client.onArrival((update) => clock.sample(update.ts));
    clients.set(id, client);
    client.start();
  }
  return client;
}

let firstScoreMarked = false;

/** A User Timing mark when the first score shows (read by Lighthouse and the benchmarks as "time to first score"). */
function markFirstScore(): void {
  if (!firstScoreMarked) {
    firstScoreMarked = true;
    performance.mark?.('scorefeed:first-score');
  }
}

let sheet: CSSStyleSheet | undefined;

function adoptStyles(root: ShadowRoot): void {
  // Constructed stylesheets are not inline styles: a partner's strict CSP (style-src) does not block them.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheet ??= new CSSStyleSheet();
    if (sheet.cssRules.length === 0) {
      sheet.replaceSync(__WIDGET_CSS__);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h('style', {}, __WIDGET_CSS__));
  }
}

abstract class ScoreFeedElement extends HTMLElement {
  static observedAttributes = ['theme'];
  protected readonly shadow: ShadowRoot;
  protected readonly body: HTMLElement;
  protected readonly status: HTMLElement;
  protected context: ViewContext = {
    now: () => clock.now(),
    matchHref: (id) => `${webOrigin}/matches/${encodeURIComponent(id)}`,
    newTab: true,
  };
  protected cleanup: (() => void)[] = [];
  private readonly contrast: ContrastGuard;
  private topics: string[] = [];
  private client: ScoreFeedClient | undefined;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    adoptStyles(this.shadow);
    this.body = h('div', { class: 'sf-widget-body sf-hero-frame' });
    this.status = h('p', { class: 'sf-conn', role: 'status' });
    const root = h('div', { class: 'sf-widget sf-theme', part: 'widget' }, this.body,
      h('footer', { class: 'sf-widget-foot' }, this.status, h('a', { class: 'sf-brand', href: `${webOrigin}/`, target: '_blank', rel: 'noopener' }, 'ScoreFeed')));
    this.shadow.append(root);
    this.contrast = new ContrastGuard(this, root);
  }

  protected abstract topicsFor(): string[] | undefined;
  protected abstract render(client: ScoreFeedClient): void;
  protected abstract changed(state: MatchState, previous: MatchState | undefined): void;
  protected abstract tick(now: number): void;

  connectedCallback(): void {
    // Its `lang`, else the partner page's, else the browser's (one language per page: the widgets share a client);
    // its words first (the space is reserved meanwhile, so nothing moves when it paints).
    const language = pickLanguage(this.getAttribute('lang'), document.documentElement.lang, navigator.language);
    void loadWords(language, webOrigin).then(() => {
      if (this.isConnected && !this.client) {
        this.start(language);
      }
    });
  }

  private start(language: Language): void {
    setLanguage(language);
    this.setAttribute('dir', isRightToLeft() ? 'rtl' : 'ltr');
    this.applyTheme();
    this.contrast.check();
    const topics = this.topicsFor();
    const key = this.getAttribute('key') ?? '';
    if (!topics) {
      this.fail(t('widget.badId'));
      return;
    }
    const client = clientFor(this.getAttribute('hub') || configuredHub, key, this.tokenSource());
    this.client = client;
    this.topics = topics;
    this.render(client);
    this.cleanup.push(
      client.onStatus((s, refusal) => {
        showStatus(this.status, s, refusal);
        this.body.hidden = s === 'refused';
      }),
      client.onMatch((state, previous) => this.changed(state, previous)),
      startTicker(() => {
        this.tick(clock.now());
        // The partner's colours can change at any time (a theme switch, the demo's editor): checked once a second.
        this.contrast.check();
      }),
    );
    for (const state of client.tracker.all()) {
      this.changed(state, undefined);
    }
    void client.subscribe(topics);
  }

  disconnectedCallback(): void {
    this.cleanup.forEach((f) => f());
    this.cleanup = [];
    void this.client?.unsubscribe(this.topics);
    this.client = undefined;
  }

  attributeChangedCallback(): void {
    this.applyTheme();
    this.contrast.check();
  }

  /** The `token` attribute and the `token-url` to fetch fresh ones from (same origin as the page, with its cookies). */
  private tokenSource(): TokenSource | undefined {
    const token = this.getAttribute('token') || undefined;
    const url = this.getAttribute('token-url');
    if (!token && !url) {
      return undefined;
    }
    const fresh = url
      ? async () => {
        const response = await fetch(url, { credentials: 'include', cache: 'no-store', headers: { Accept: 'application/json' } });
        return response.ok ? ((await response.json()) as { token?: string }).token : undefined;
      }
      : undefined;
    return { token, fresh };
  }

  private applyTheme(): void {
    const theme = this.getAttribute('theme');
    this.body.parentElement!.dataset.theme = theme === 'dark' || theme === 'light' ? theme : '';
  }

  private fail(message: string): void {
    this.status.dataset.status = 'refused';
    setText(this.status, message);
  }
}

/** <scorefeed-match match="{id}" key="{partnerKey}" theme="light|dark">: one match, its latest incidents, its audience. */
class ScoreFeedMatch extends ScoreFeedElement {
  private hero: HTMLElement | undefined;
  private timeline: HTMLElement | undefined;
  private lines: HTMLElement | undefined;
  private watching: HTMLElement | undefined;
  private announcer: Announcer | undefined;
  private state: MatchState | undefined;

  protected topicsFor(): string[] | undefined {
    const id = this.getAttribute('match') ?? '';
    return idPattern.test(id) ? [matchTopic(id)] : undefined;
  }

  protected render(client: ScoreFeedClient): void {
    const matchId = this.getAttribute('match')!;
    this.hero = h('a', { class: 'sf-hero sf-compact', href: this.context.matchHref(matchId), target: '_blank', rel: 'noopener', 'data-match': matchId },
      h('span', { class: 'sf-hero-top', part: 'header' }, h('span', { class: 'sf-chip', part: 'status' }, t('match.loading')), h('span', { class: 'sf-period', part: 'period' }), h('span', { class: 'sf-clock', part: 'clock' })),
      h('span', { class: 'sf-hero-main' },
        h('span', { class: 'sf-side sf-home' }, h('span', { class: 'sf-name', part: 'team' }), h('span', { class: 'sf-score', part: 'score' })),
        h('span', { class: 'sf-side sf-away' }, h('span', { class: 'sf-name', part: 'team' }), h('span', { class: 'sf-score', part: 'score' }))));
    this.lines = h('table', { class: 'sf-lines', part: 'line-score', hidden: '' });
    this.timeline = h('ol', { class: 'sf-timeline', 'aria-label': t('match.latest') });
    this.watching = h('p', { class: 'sf-watching', hidden: '' });
    const live = h('p', { class: 'sf-visually-hidden', 'aria-live': 'polite' });
    this.announcer = new Announcer(live, 20_000);
    // The line score and the timeline join once the first state comes (changed): present but empty before it, they
    // would be pushed down as the hero fills in, a layout shift on the partner's page.
    this.body.replaceChildren(this.hero, this.watching, live);
    const audience = client.audience(matchId);
    if (audience !== undefined) {
      this.showAudience(audience);
    }
    this.cleanup.push(client.onAudience((m) => m.matchId === matchId && this.showAudience(m.watching)));
  }

  protected changed(state: MatchState, previous: MatchState | undefined): void {
    if (!this.hero || state.matchId !== this.getAttribute('match')) {
      return;
    }
    this.state = state;
    const scored = updateMatch(this.hero, state, previous, this.context);
    if (!this.timeline!.isConnected) {
      this.hero.after(this.lines!, this.timeline!);
    }
    markFirstScore();
    // A line score or the sets take the place of two incident rows: the widget keeps its height.
    renderLines(this.lines!, state);
    renderTimeline(this.timeline!, state, this.lines!.hidden ? 3 : 1);
    if (scored) {
      this.announcer?.say(scoredText(state, scored));
    }
  }

  protected tick(now: number): void {
    if (this.hero && this.state) {
      tickClock(this.hero, this.state, now);
    }
  }

  private showAudience(watching: number): void {
    if (this.watching) {
      this.watching.hidden = false;
      setText(this.watching, watchingText(watching));
    }
  }
}

/** <scorefeed-scoreboard competition="{id}" key="{partnerKey}">: today's matches of a competition. */
class ScoreFeedScoreboard extends ScoreFeedElement {
  private list: HTMLElement | undefined;
  private readonly states = new Map<string, MatchState>();
  private readonly cards = new Map<string, HTMLElement>();

  protected topicsFor(): string[] | undefined {
    const id = this.getAttribute('competition') ?? '';
    return idPattern.test(id) ? [competitionTopic(id)] : undefined;
  }

  protected render(): void {
    const id = this.getAttribute('competition')!;
    this.list = h('ul', { class: 'sf-cards' });
    this.body.replaceChildren(h('h2', { class: 'sf-widget-title' }, this.getAttribute('title') || competitionName(id, names)), this.list);
  }

  protected changed(state: MatchState, previous: MatchState | undefined): void {
    if (!this.list || state.competitionId !== this.getAttribute('competition') || !isToday(state, clock.now())) {
      return;
    }
    this.states.set(state.matchId, state);
    markFirstScore();
    let card = this.cards.get(state.matchId);
    if (card) {
      updateMatch(card, state, previous, this.context);
    } else {
      card = matchCard(state, this.context);
      this.cards.set(state.matchId, card);
    }
    if (!previous || previous.status !== state.status || !card.parentElement) {
      const ordered = [...this.states.values()].sort(listOrder).slice(0, 12);
      this.list.replaceChildren(...ordered.map((s) => this.cards.get(s.matchId)!));
    }
  }

  protected tick(now: number): void {
    for (const [id, state] of this.states) {
      if (isInPlay(state.status)) {
        tickClock(this.cards.get(id)!, state, now);
      }
    }
  }
}

/** <scorefeed-standings competition="{id}" key="{partnerKey}">: a competition's live table (docs/standings.md). */
class ScoreFeedStandings extends ScoreFeedElement {
  private table: HTMLTableElement | undefined;

  protected topicsFor(): string[] | undefined {
    const id = this.getAttribute('competition') ?? '';
    return idPattern.test(id) ? [standingsTopic(id)] : undefined;
  }

  protected render(): void {
    const name = this.getAttribute('title') || competitionName(this.getAttribute('competition')!, names);
    const table = standingsTable(name);
    this.table = table;
    const title = h('h2', { class: 'sf-widget-title', id: 'sf-standings-title' }, name);
    this.body.replaceChildren(title, h('div', { class: 'sf-table-scroll', role: 'region', 'aria-labelledby': 'sf-standings-title', tabindex: '0' }, table));
  }

  protected changed(state: MatchState): void {
    if (this.table && state.matchId === standingsTopic(this.getAttribute('competition') ?? '') && state.table) {
      paintStandings(this.table, state);
    }
  }

  protected tick(): void {}
}

if (!customElements.get('scorefeed-match')) {
  customElements.define('scorefeed-match', ScoreFeedMatch);
  customElements.define('scorefeed-scoreboard', ScoreFeedScoreboard);
  customElements.define('scorefeed-standings', ScoreFeedStandings);
}
