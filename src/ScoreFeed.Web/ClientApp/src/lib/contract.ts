// The wire contract (docs/wire-contract.md; C#: src/ScoreFeed.Core/Contract). JSON protocol, camelCase.

export type Sport = 'football' | 'basketball';
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
  incidents?: Incident[] | null;
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

export interface SubscribeResult {
  matches: MatchState[];
  recovered: MatchUpdate[];
  rejected: { topic: string; reason: string }[];
}

/** Server → client `audience` (contract extension): about how many connections watch `match:{id}`. */
export interface AudienceMessage {
  matchId: string;
  watching: number;
}

export const Methods = {
  subscribe: 'Subscribe',
  unsubscribe: 'Unsubscribe',
  update: 'update',
  audience: 'audience',
} as const;

/** Hubs refuse a connection with a close error containing `scorefeed-refused:{code}: {text}`. */
export const RefusalPrefix = 'scorefeed-refused:';
export type RefusalCode = 'unknown-key' | 'origin-not-allowed' | 'over-limit' | string;

export const isInPlay = (status: MatchStatus): boolean => status === 'live' || status === 'paused';

export const matchTopic = (matchId: string): string => `match:${matchId}`;
export const competitionTopic = (competitionId: string): string => `competition:${competitionId}`;
export const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
