import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, LoginBody, Me } from '../../shared/api.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { HttpError } from '../http/http-error.ts';
import { describeMe } from '../views/me.ts';
import { LoginLimits } from '../auth/login-limits.ts';
import { audit } from '../storage/audit.ts';

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
const decoyHash = hashPassword('decoy password that never matches');

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, config } = app;
  const limits = new LoginLimits(config.loginsPerAccountPerMinute, config.loginsPerMinute);

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        security: [],
        summary: 'Log in; sets the HttpOnly session cookie',
        body: LoginBody,
        response: { 200: Me, 401: ErrorBody, 429: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const refused = limits.admit(username);
      if (refused) {
        reply.header('retry-after', String(refused.retryAfterSeconds));
        throw new HttpError(refused.status, refused.message);
      }
      const user = stores.accounts.user(username);
      const hash = user ? stores.accounts.passwordHash(user.id) : null;
      const ok = await verifyPassword(password, hash ?? (await decoyHash), app.hashing.derive);
      if (!user || !hash || !ok) {
        audit(stores.db, { userId: user?.id ?? null, groupId: null, action: 'login.failed', detail: { username: username.slice(0, 64), address: request.ip } }, { waitForDisk: false });
        throw new HttpError(401, 'wrong username or password');
      }
      limits.lockout.succeeded(username);
      audit(stores.db, { userId: user.id, groupId: null, action: 'login', detail: { address: request.ip } });
      const session = stores.sessions.create(user.id);
      reply.setCookie(SESSION_COOKIE, session.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        expires: new Date(session.expiresAt),
      });
      return describeMe(stores, user);
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session', response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) {
      const userId = stores.sessions.userId(secret);
      stores.sessions.destroy(secret);
      if (userId !== undefined) app.hub.signOut(userId, secret);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.post(
    '/auth/logout-everywhere',
    {
      schema: {
        tags: ['auth'],
        summary: "End all of the user's sessions, on every device (a lost laptop); API tokens stay",
        response: { 200: Type.Object({ ok: Type.Boolean(), ended: Type.Integer() }), 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const ended = stores.sessions.destroyAll(request.caller.user.id);
      app.hub.signOut(request.caller.user.id);
      audit(stores.db, { userId: request.caller.user.id, groupId: null, action: 'logout.everywhere', detail: { ended } });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true, ended };
    },
  );

  app.get('/me', { schema: { tags: ['auth'], summary: 'The current user and their roles', response: { 200: Me, 401: ErrorBody } } }, async (request) => {
    return describeMe(stores, request.caller.user);
  });
};
