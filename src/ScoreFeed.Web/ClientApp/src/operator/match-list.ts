// The console's list of matches: every match the page was rendered with and every one the hub sends, kept current,
// in list order, filtered by the search box (team, competition or id).
import { competitionName, listOrder, statusLabel } from '../ui/clock';
import type { MatchState } from '@scorefeed/client';
import { t } from '../i18n';
import { byId, find, h, setText } from '../ui/dom';
import { ot } from './words';

export class MatchList {
  private readonly states = new Map<string, MatchState>();
  private readonly items = new Map<string, HTMLLIElement>();
  private readonly search = byId<HTMLInputElement>('op-search');
  private readonly list = byId('op-matches');

  constructor(
    matches: MatchState[],
    private readonly names: Record<string, string> | undefined,
    private readonly select: (matchId: string) => void,
  ) {
    for (const state of matches) {
      this.states.set(state.matchId, state);
    }
    this.search.addEventListener('input', () => this.render());
    this.search.addEventListener('keydown', (event) => {
      // Enter in the search box opens the first match it shows.
      if (event.key === 'Enter') {
        find<HTMLButtonElement>(this.list, 'button')?.click();
      }
    });
  }

  state(matchId: string): MatchState | undefined {
    return this.states.get(matchId);
  }

  /** A state from the hub. */
  changed(state: MatchState): void {
    this.states.set(state.matchId, state);
    this.update(state);
  }

  /** Marks the match shown in the detail. */
  markCurrent(matchId: string): void {
    this.list.querySelectorAll('button[aria-current]').forEach((b) => b.removeAttribute('aria-current'));
    this.list.querySelector(`button[data-match="${CSS.escape(matchId)}"]`)?.setAttribute('aria-current', 'true');
  }

  render(): void {
    const query = this.search.value.trim().toLowerCase();
    const shown = [...this.states.values()].sort(listOrder).filter((state) => this.matches(state, query));
    for (const state of shown) {
      if (!this.items.has(state.matchId)) {
        this.update(state);
      }
    }
    const wanted = shown.map((s) => this.items.get(s.matchId)!);
    this.list.replaceChildren(...wanted);
    setText(byId('op-count'), ot('op.count', { n: shown.length }));
  }

  private update(state: MatchState): void {
    let item = this.items.get(state.matchId);
    if (!item) {
      const button = h('button', { type: 'button', class: 'op-match', 'data-match': state.matchId },
        h('span', { class: 'op-match-teams' }), h('span', { class: 'op-match-meta' }));
      button.addEventListener('click', () => this.select(state.matchId));
      item = h('li', {}, button);
      this.items.set(state.matchId, item);
      this.render();
    }
    const button = find(item, 'button')!;
    button.dataset.status = state.status;
    setText(find(item, '.op-match-teams'), itemText(state));
    setText(find(item, '.op-match-meta'), `${statusLabel(state.status, state.sport, state.period)} · ${competitionName(state.competitionId, this.names)} · ${state.matchId}`);
  }

  private matches(state: MatchState, query: string): boolean {
    return !query ||
      [state.matchId, state.competitionId, competitionName(state.competitionId, this.names), state.home.name, state.away.name]
        .some((text) => text.toLowerCase().includes(query));
  }
}

function itemText(state: MatchState): string {
  return state.status === 'scheduled'
    ? t('follow.vs', { home: state.home.name, away: state.away.name })
    : `${state.home.name} ${state.home.score}–${state.away.score} ${state.away.name}`;
}
