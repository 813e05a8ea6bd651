import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, PASSWORD } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const bearer = (username: string) => ({ authorization: `Bearer ${server.users[username]!.token}` });

async function login(username: string, password = PASSWORD) {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: server.origin },
    payload: { username, password },
  });
}

function sessionCookie(response: Awaited<ReturnType<typeof login>>): string {
  const cookie = response.cookies.find((c) => c.name === 'concord_session');
  if (!cookie) throw new Error('no session cookie');
  return `concord_session=${cookie.value}`;
}

describe('login and sessions', () => {
  it('logs in with the right password and sets an HttpOnly SameSite cookie', async () => {
    const response = await login('brazil');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      user: { username: 'brazil' },
      memberships: [{ group: { slug: 'cwg-ai' }, role: 'delegate', delegation: { name: 'Brazil' } }],
    });
    const cookie = response.cookies.find((c) => c.name === 'concord_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await login('brazil', 'not the password');
    const unknown = await login('nobody', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('knows the user by cookie until logout', async () => {
    const cookie = sessionCookie(await login('kenya'));
    const me = await server.app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.json().user.username).toBe('kenya');
    const out = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: server.origin } });
    expect(out.statusCode).toBe(200);
    const after = await server.app.inject({ url: '/api/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('knows a script by its API token', async () => {
    const me = await server.app.inject({ url: '/api/me', headers: bearer('chair') });
    expect(me.json().memberships[0].role).toBe('chair');
    const bad = await server.app.inject({ url: '/api/me', headers: { authorization: 'Bearer cct_forged' } });
    expect(bad.statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated change from a foreign origin or without an origin', async () => {
    const cookie = sessionCookie(await login('chair'));
    const payload = { title: 'X', symbol: 'CWG-AI/90', type: 'resolution' };
    const foreign = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: { cookie, origin: 'http://evil.example' }, payload });
    expect(foreign.statusCode).toBe(403);
    const none = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: { cookie }, payload });
    expect(none.statusCode).toBe(403);
    expect(none.json().message).toMatch(/Origin/);
    const same = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: { cookie, origin: server.origin }, payload });
    expect(same.statusCode).toBe(201);
  });

  it('rate-limits sign-ins per account, not per address', async () => {
    const limited = await startServer({ loginsPerAccountPerMinute: 3 });
    try {
      const attempt = (username: string, remoteAddress: string) => limited.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password: 'guess' } });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt('brazil', `10.9.0.${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limitedAnswer = await attempt('brazil', '10.9.1.1');
      expect(limitedAnswer.json().message).toMatch(/too many sign-ins for "brazil" in a minute; wait a minute/);
      expect(limitedAnswer.headers['retry-after']).toBe('60');
      // others behind the same address are not held back
      for (const username of ['kenya', 'chair', 'observer', 'secretariat']) expect((await attempt(username, '10.9.0.1')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('groups and documents', () => {
  it("shows a member the group's delegations and documents", async () => {
    const response = await server.app.inject({ url: '/api/groups/cwg-ai', headers: bearer('kenya') });
    expect(response.statusCode).toBe(200);
    const group = response.json();
    expect(group.role).toBe('delegate');
    expect(group.delegations.map((d: { name: string }) => d.name)).toEqual(['Brazil', 'Kenya']);
    expect(group.documents.map((d: { symbol: string }) => d.symbol)).toContain('CWG-AI/3');
  });

  it('lists only the groups a user belongs to', async () => {
    const response = await server.app.inject({ url: '/api/groups', headers: bearer('outsider') });
    expect(response.json()).toEqual([{ slug: 'other-wg', name: 'Another working group' }]);
  });

  it("refuses a user another group's page and documents as if they did not exist", async () => {
    const group = await server.app.inject({ url: '/api/groups/cwg-ai', headers: bearer('outsider') });
    expect(group.statusCode).toBe(404);
    expect(group.json().message).toBe('no working group "cwg-ai"');
    const doc = await server.app.inject({ url: `/api/documents/${server.documentId}`, headers: bearer('outsider') });
    expect(doc.statusCode).toBe(404);
    expect(doc.json().message).toBe(`no document ${server.documentId}`);
  });

  it('lets the secretariat create a document and refuses a delegate, saying why', async () => {
    const payload = { title: 'Draft recommendation on AI', symbol: 'CWG-AI/4', type: 'recommendation' };
    const delegate = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: bearer('brazil'), payload });
    expect(delegate.statusCode).toBe(403);
    expect(delegate.json().message).toMatch(/only the chair and the secretariat/);
    const created = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: bearer('secretariat'), payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ symbol: 'CWG-AI/4', type: 'recommendation', status: 'draft', access: { canManage: true } });
    const duplicate = await server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents', headers: bearer('chair'), payload });
    expect(duplicate.statusCode).toBe(409);
  });

  it('validates document input against the schema', async () => {
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/groups/cwg-ai/documents',
      headers: bearer('chair'),
      payload: { title: '', symbol: 'not a symbol!', type: 'poem' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("gives a document's metadata with what the user may do", async () => {
    const observer = await server.app.inject({ url: `/api/documents/${server.documentId}`, headers: bearer('observer') });
    expect(observer.json()).toMatchObject({ symbol: 'CWG-AI/3', access: { role: 'observer', canEdit: false, canManage: false } });
    const patch = await server.app.inject({ method: 'PATCH', url: `/api/documents/${server.documentId}`, headers: bearer('chair'), payload: { status: 'negotiation' } });
    expect(patch.json().status).toBe('negotiation');
    const refused = await server.app.inject({ method: 'PATCH', url: `/api/documents/${server.documentId}`, headers: bearer('kenya'), payload: { status: 'agreed' } });
    expect(refused.statusCode).toBe(403);
  });

  it('records document creation in the append-only audit log', async () => {
    const rows = server.stores.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'document.%'").all();
    expect(rows.length).toBeGreaterThan(0);
    expect(() => server.stores.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('API description', () => {
  it('serves OpenAPI with a schema for every route', async () => {
    const response = await server.app.inject({ url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    for (const path of ['/api/auth/login', '/api/auth/logout', '/api/me', '/api/health', '/api/groups', '/api/groups/{slug}', '/api/groups/{slug}/documents', '/api/documents/{id}']) {
      expect(Object.keys(spec.paths)).toContain(path);
      for (const operation of Object.values(spec.paths[path]) as { responses: Record<string, unknown> }[]) {
        expect(Object.keys(operation.responses)).toContain(Object.keys(operation.responses).find((code) => code.startsWith('2')));
      }
    }
    expect((await server.app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers health without a session', async () => {
    const response = await server.app.inject({ url: '/api/health' });
    expect(response.json().status).toBe('ok');
  });
});
