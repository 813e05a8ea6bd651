import type { StatusCounts } from './http.ts';

/** What the hostile workload tells its attacker process (bench/attacks/attacker.ts), and what it answers. */

export type AttackKey = 'awareness' | 'bomb' | 'small' | 'login' | 'guesses' | 'http';

export interface AttackPlan {
  attack: AttackKey;
  server: 'concord' | 'hocuspocus' | 'y-websocket';
  port: number;
  document: string;
  /** The WebSocket address attackers connect to (Concord: with the attacker's own token). */
  url: string;
  /** Hocuspocus's shared secret, sent in its auth message. */
  hocuspocusToken: string;
  /** Concord: the account the password guesses are aimed at. */
  targetUsername?: string;
}

/** What the attacker did between "go" and "stop". */
export interface AttackResult {
  /** Frames or requests sent. */
  sent: number;
  sentMiB: number;
  /** WebSocket connections opened, and how many of them the server closed. */
  opened: number;
  closedByServer: number;
  closeCodes: Record<string, number>;
  /** WebSocket connections that failed to open (refused, reset, answered with an HTTP error). */
  connectFailures: number;
  /** HTTP answers by status (0: no answer: refused, reset or still waiting at the end). */
  statuses: StatusCounts;
  /** Requests still unanswered when the attacker stopped waiting. */
  pending: number;
  seconds: number;
}

/** The plan comes as the process's argument (JSON); then these messages. */
export type ToAttacker = { type: 'go' } | { type: 'stop'; settleMs: number };
export type FromAttacker = { type: 'ready' } | { type: 'result'; result: AttackResult };

/** Connections of each WebSocket flood. */
export const SLOTS: Record<'awareness' | 'bomb' | 'small', number> = { awareness: 3, bomb: 4, small: 40 };
/** Login flood: 40 addresses × 10 unknown usernames (10 a minute is Concord's per-address login limit). */
export const LOGIN_ADDRESSES = 40;
export const LOGIN_PER_ADDRESS = 10;
/** Password guesses: 6 addresses × 9 wrong passwords for one account (the lockout is at 8). */
export const GUESS_ADDRESSES = 6;
export const GUESSES_PER_ADDRESS = 9;
/**
 * The address of the HTTP flood, and of the honest clients' API calls: the flood comes from behind
 * the same address as the honest delegates (a venue's NAT), so a limit per address alone would
 * refuse them too.
 */
export const VENUE_ADDRESS = '127.0.0.200';
/** HTTP flood: at least this many GET /api/health from one address (as many more as the attack lasts). */
export const HTTP_FLOOD_MIN = 1300;
