// The operator console (/operator): sign in against ingest's operator API, follow matches live over the hub (the same
// client library as the fan pages), correct one with optimistic concurrency (expectedSeq), see pins beside what the
// feed says, read the audit, undo, release pins. Every feed or operator text goes through textContent, never HTML.
// This file signs in and out and wires the parts: the list (match-list.ts), the match shown (match-detail.ts, with
// correction-form.ts and history.ts), the operator API (api.ts).
import { ScoreFeedClient, ServerClock, isInPlay, type MatchState } from '@scorefeed/client';
import { byId, setText } from '../ui/dom';
import { startTicker } from '../ui/live';
import { setUpTheme } from '../ui/theme';
import { showStatus } from '../ui/views';
import '../i18n/all';
import { pickLanguage, setLanguage } from '../i18n';
import { OperatorApi } from './api';
import { MatchDetail } from './match-detail';
import { MatchList } from './match-list';
import { ot } from './words';

interface ConsoleConfig {
  page: 'operator';
  hub: string;
  ingest: string;
  topics: string[];
  matches: MatchState[];
  serverNow: number;
  names?: Record<string, string>;
}

const element = document.getElementById('sf-config');
if (element?.textContent) {
  setLanguage(pickLanguage(document.documentElement.lang));
  setUpTheme();
  run(JSON.parse(element.textContent) as ConsoleConfig);
}

function run(config: ConsoleConfig): void {
  const clock = new ServerClock();
  clock.sample(config.serverNow);
  const result = byId('op-result');
  const say = (text: string) => {
    // Cleared first so that the same message twice is read out twice.
    result.textContent = '';
    setTimeout(() => (result.textContent = text), 50);
  };

  const api = new OperatorApi(config.ingest, () => showSignIn(ot('op.sessionEnded')));
  const list = new MatchList(config.matches, config.names, select);
  let client: ScoreFeedClient | undefined;
  let detail: MatchDetail | undefined;

  // ---- sign-in ------------------------------------------------------------------------------------------------
  const signInForm = byId<HTMLFormElement>('op-signin-form');
  const signInMessage = byId('op-signin-message');
  function showSignIn(message = ''): void {
    api.signOut();
    detail?.close();
    detail = undefined;
    byId('op-console').hidden = true;
    byId('op-signin').hidden = false;
    setText(signInMessage, message);
    byId<HTMLInputElement>('op-password').value = '';
    byId<HTMLInputElement>(byId<HTMLInputElement>('op-user').value ? 'op-password' : 'op-user').focus();
  }
  function showConsole(): void {
    byId('op-signin').hidden = true;
    byId('op-console').hidden = false;
    setText(byId('op-who'), api.current?.name ?? '');
    startLive();
    list.render();
    byId('op-search').focus();
  }
  signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const user = byId<HTMLInputElement>('op-user').value.trim();
    const password = byId<HTMLInputElement>('op-password').value;
    if (!user || !password) {
      setText(signInMessage, ot('op.enterCredentials'));
      return;
    }
    setText(signInMessage, ot('op.signingIn'));
    const outcome = await api.signIn(user, password);
    if (outcome.ok) {
      setText(signInMessage, '');
      showConsole();
      say(ot('op.signedIn', { name: outcome.value.name }));
    } else {
      setText(signInMessage, outcome.message);
      byId<HTMLInputElement>('op-password').select();
    }
  });
  byId('op-signout').addEventListener('click', () => {
    showSignIn(ot('op.signedOut'));
  });

  // ---- live ---------------------------------------------------------------------------------------------------
  function startLive(): void {
    if (client) {
      return;
    }
    client = new ScoreFeedClient({ hubUrl: config.hub });
    client.onArrival((update) => clock.sample(update.ts));
    client.onStatus((s, refusal) => showStatus(document.getElementById('sf-conn'), s, refusal));
    client.onMatch((state) => {
      list.changed(state);
      if (detail?.matchId === state.matchId) {
        detail.changed(state);
      }
    });
    // Only the matches in play, which "live" covers: the tracker sends a position for each match it holds with
    // every Subscribe, and the list can hold a week of matches. A match opened in the console is subscribed then.
    client.tracker.seed(config.matches.filter((m) => isInPlay(m.status)));
    void client.subscribe(config.topics);
    client.start();
  }

  function select(matchId: string): void {
    const state = list.state(matchId);
    if (!state || !client) {
      return;
    }
    list.markCurrent(matchId);
    detail?.close();
    detail = new MatchDetail(state, api, client, clock, config.names, say);
  }

  startTicker(() => detail?.tick(clock.now()));

  if (api.current) {
    showConsole();
  } else {
    showSignIn();
  }
}
