// The wire contract (docs/wire-contract.md, docs/asyncapi.yaml; C#: src/ScoreFeed.Core/Contract). JSON protocol,
// camelCase. tests/ScoreFeed.UnitTests/ApiDocs/ClientContractTests.cs holds these interfaces to the C# types.

/** Sports known today; treat any other like football (show `home.score`–`away.score`). */
export type Sport = 'football' | 'basketball' | 'tennis';
export type MatchStatus = 'scheduled' | 'live' | 'paused' | 'final' | 'postponed' | 'cancelled';

export interface TeamScore {
  id: string;
  name: string;
  score: number;
}

/** At wall time `at` (ms) the clock showed `seconds`; while `running` it moves one second per second. */
export interface MatchClock {
  running: boolean;
  seconds: number;
  at: number;
}

export interface Incident {
  id: string;
  type: string;
  period: number;
  seconds: number;
  team?: 'home' | 'away' | null;
  player?: string | null;
  points?: number | null;
  detail?: string | null;
  /** Only in an update's incident: an operator removed the incident with this id (e.g. a disallowed goal). */
  removed?: boolean | null;
}

/** A home and an away number: a period's score, a set's games, a tie-break's or a game's points. */
export interface ScorePair {
  home: number;
  away: number;
}

/** Football and basketball line score (contract extension; absent when nobody reports one). */
export interface LineScore {
  /** `periods[i]` is period `i + 1`: football's halves; basketball's quarters, then each overtime. */
  periods: ScorePair[];
  /** Football: both halves of extra time together. */
  extraTime?: ScorePair | null;
  /** Football: the shoot-out, not counted in the score. */
  penalties?: ScorePair | null;
}

/** One tennis set: games, and the tie-break's points once a tie-break decided it. */
export interface SetScore {
  home: number;
  away: number;
  tieBreak?: ScorePair | null;
}

/** Tennis score (contract extension): `home.score`/`away.score` are the sets won, `period` the current set. */
export interface TennisScore {
  bestOf: 3 | 5;
  /** Every set started; while the match is played the last is the current one. */
  sets: SetScore[];
  /** The current game's points as counts (0, 15, 30, 40, deuce/advantage from 3–3); tie-break points at 6–6. */
  points: ScorePair;
  server: 'home' | 'away';
  /** The side that retired, when one did. */
  retired?: 'home' | 'away' | null;
}

export interface MatchState {
  matchId: string;
  competitionId: string;
  sport: Sport;
  home: TeamScore;
  away: TeamScore;
  status: MatchStatus;
  period: number;
  clock: MatchClock;
  startsAt: number;
  epoch: string;
  seq: number;
  updatedAt: number;
  lines?: LineScore | null;
  tennis?: TennisScore | null;
  /** Only in a competition's standings document (its matchId: standings: and the competition's id). */
  table?: StandingsTable | null;
  incidents?: Incident[] | null;
}

/** A competition's table, on the topic `standings:{competitionId}` (docs/standings.md). */
export interface StandingsTable {
  rows: StandingsRow[];
  live: boolean;
}

/** One team's line. In a basketball table (the document's `sport`) `goalsFor`/`goalsAgainst` are points scored and conceded, `drawn` is 0. */
export interface StandingsRow {
  position: number;
  teamId: string;
  name: string;
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  points: number;
  /** Last five final results, newest first: W, D, L. */
  form: string;
  live: boolean;
}

export interface MatchUpdate {
  matchId: string;
  competitionId: string;
  epoch: string;
  seq: number;
  ts: number;
  source: 'feed' | 'operator' | 'store';
  state: MatchState;
  incident?: Incident | null;
}

export interface StreamPosition {
  epoch: string;
  seq: number;
}

export interface SubscribeRequest {
  topics: string[];
  positions?: Record<string, StreamPosition>;
}

/** A topic or position the hub did not accept, and why (malformed, invalid id, unknown match, …). */
export interface TopicRejection {
  topic: string;
  reason: string;
}

export interface SubscribeResult {
  matches: MatchState[];
  recovered: MatchUpdate[];
  rejected: TopicRejection[];
}

/** Server → client `audience` (contract extension): about how many connections watch `match:{id}`. */
export interface AudienceMessage {
  matchId: string;
  watching: number;
}

export const Methods = {
  subscribe: 'Subscribe',
  unsubscribe: 'Unsubscribe',
  renew: 'Renew',
  update: 'update',
  audience: 'audience',
} as const;

/** Hubs refuse a connection with a close error containing `scorefeed-refused:{code}: {text}`. */
export const RefusalPrefix = 'scorefeed-refused:';
export type RefusalCode = 'unknown-key' | 'origin-not-allowed' | 'over-limit' | string;

export const isInPlay = (status: MatchStatus): boolean => status === 'live' || status === 'paused';

export const matchTopic = (matchId: string): string => `match:${matchId}`;
export const competitionTopic = (competitionId: string): string => `competition:${competitionId}`;
/** A competition's live table (docs/standings.md); its document's id is the topic's name. */
export const standingsTopic = (competitionId: string): string => `standings:${competitionId}`;
export const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
