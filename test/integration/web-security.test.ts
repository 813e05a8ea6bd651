import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, PASSWORD } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import { editShared, stateAt, typeText } from '../support/editing.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { redactUrl } from '../../server/app.ts';
import { LoginLockout } from '../../server/auth/lockout.ts';

/** Web security and operations: lockout, logout everywhere, headers, audit, logs, metrics. */
describe('web security and operations', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const login = (username: string, password: string, remoteAddress: string) =>
    server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { origin: server.origin }, payload: { username, password } });

  it('locks a username after repeated wrong passwords, from however many addresses', async () => {
    for (let i = 0; i < 8; i++) expect((await login('kenya', 'wrong guess', `10.0.0.${i}`)).statusCode).toBe(401);
    const locked = await login('kenya', PASSWORD, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toMatch(/too many wrong passwords for "kenya": try again in 15 minutes/);
    expect((await login('brazil', PASSWORD, '10.0.1.1')).statusCode).toBe(200); // others are not affected
    const audit = server.stores.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed'").get() as { n: number };
    expect(audit.n).toBe(8);
    // the lock lifts after its time
    let now = 0;
    const lockout = new LoginLockout(3, 60_000, 60_000, () => now);
    for (let i = 0; i < 3; i++) expect(lockout.attempt('x')).toBe(0);
    expect(lockout.attempt('x')).toBe(1);
    expect(lockout.lockedMinutes('x')).toBe(1);
    now = 61_000;
    expect(lockout.lockedMinutes('x')).toBe(0);
  });

  it('ends every session of a user on "log out everywhere"', async () => {
    const cookies = [];
    for (const address of ['10.0.2.1', '10.0.2.2']) {
      const response = await login('secretariat', PASSWORD, address);
      expect(response.statusCode).toBe(200);
      cookies.push(String(response.headers['set-cookie']).split(';')[0]!);
    }
    for (const cookie of cookies) expect((await server.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await server.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: { cookie: cookies[0]!, origin: server.origin } });
    expect(out.json()).toEqual({ ok: true, ended: 2 });
    for (const cookie of cookies) expect((await server.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('sends security headers with a CSP on every page and API answer', async () => {
    for (const url of ['/api/health', '/api/me']) {
      const response = await server.app.inject({ url });
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'|frame-ancestors 'self'/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBeDefined();
    }
  });

  it('keeps the audit log append-only', () => {
    expect(() => server.stores.db.prepare("UPDATE audit_log SET action = 'forged'").run()).toThrow();
    expect(() => server.stores.db.prepare('DELETE FROM audit_log').run()).toThrow();
  });

  it('never logs credentials carried in URLs', () => {
    expect(redactUrl('/collab/abc?token=cct_secret123')).toBe('/collab/abc?token=…');
    expect(redactUrl('/x?a=1&password=hunter2&b=2')).toBe('/x?a=1&password=…&b=2');
    expect(redactUrl('/api/documents/1/export?format=txt')).toBe('/api/documents/1/export?format=txt');
  });

  it('reports rooms, connections, stored updates and refusals in Prometheus format', async () => {
    seedNegotiation(server);
    const kenya = connect(server, 'kenya');
    await synced(kenya);
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'an agreed text'), '!')); // taken back: agreed provision
    await until(() => kenya.notices.length > 0, 'the correction');
    kenya.destroy();
    const metrics = await server.app.inject({ url: '/api/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics.body)?.[1]);
    expect(value('concord_compensations_total')).toBeGreaterThanOrEqual(1);
    expect(value('concord_refusals_total')).toBeGreaterThanOrEqual(0);
    expect(value('concord_rooms')).toBeGreaterThanOrEqual(1);
    expect(value('concord_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0);
    expect(metrics.body).not.toMatch(/CWG-AI|kenya|Kenya/); // counts only
  });
});
