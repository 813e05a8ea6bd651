import type { FastifyRequest } from 'fastify';
import type { Stores } from '../services.ts';
import type { User } from '../storage/accounts.ts';
import { SESSION_COOKIE } from './sessions.ts';

/** How a request proved who it is: a browser session cookie or an API token. */
export type AuthMethod = 'cookie' | 'token';

export interface Identity {
  user: User;
  method: AuthMethod;
  /** The session's secret when the request came with the session cookie (its sockets end with it). */
  session: string | null;
}

/**
 * Finds the user behind a request: `Authorization: Bearer <token>`, then (WebSocket upgrades only)
 * a `token` query parameter, then the session cookie.
 */
export function identify(stores: Stores, request: FastifyRequest, allowQueryToken: boolean): Identity | null {
  const header = request.headers.authorization;
  let token: string | undefined;
  if (header?.startsWith('Bearer ')) token = header.slice(7).trim();
  else if (allowQueryToken) {
    const query = request.query as Record<string, unknown> | undefined;
    if (typeof query?.token === 'string') token = query.token;
  }
  if (token) {
    const userId = stores.tokens.userId(token);
    const user = userId === undefined ? undefined : stores.accounts.userById(userId);
    return user ? { user, method: 'token', session: null } : null;
  }
  const secret = request.cookies?.[SESSION_COOKIE];
  if (secret) {
    const userId = stores.sessions.userId(secret);
    const user = userId === undefined ? undefined : stores.accounts.userById(userId);
    return user ? { user, method: 'cookie', session: secret } : null;
  }
  return null;
}
