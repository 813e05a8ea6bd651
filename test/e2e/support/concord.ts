import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, waitForHealth } from '../../support/processes.ts';
import type { ServerProcess } from '../../support/processes.ts';

/** A demo login from the server's own `demo-credentials.txt`. */
export interface Login {
  username: string;
  password: string;
  /** `chair`, `secretariat`, `observer`, or `delegate (Brazil)`. */
  role: string;
}

/**
 * `npm start` as an operator runs it — `server/main.ts` in its own process, serving the built
 * browser app — on a free port and a fresh temporary data folder (a real SQLite file), with the demo
 * working group CWG-AI seeded at start. The client must have been built first (the suite's global
 * setup does it once, so that servers never build it concurrently).
 */
export interface Concord {
  url: string;
  dataDir: string;
  process: ServerProcess;
  /** The generated demo passwords, by username (chair, secretariat, observer, brazil, kenya …). */
  logins: Map<string, Login>;
  login(username: string): Login;
  /** Id of the document with this symbol (CWG-AI/2 is the draft resolution), asked of the API. */
  documentId(symbol: string): Promise<string>;
  /** The API as `username` (a fresh session, by the same login route the browser uses). */
  api(username: string): Promise<(path: string, init?: RequestInit) => Promise<Response>>;
  stop(): Promise<void>;
}

export async function startConcord(): Promise<Concord> {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, CONCORD_CLIENT: '1', CONCORD_DEMO: '1' });
  try {
    await waitForHealth(server.port, 60_000);
  } catch (error) {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; its output:\n${server.output()}`);
  }
  const url = `http://127.0.0.1:${server.port}`;
  const logins = readCredentials(dataDir);
  const cookies = new Map<string, string>();

  const concord: Concord = {
    url,
    dataDir,
    process: server,
    logins,
    login(username) {
      const login = logins.get(username);
      if (!login) throw new Error(`no demo login "${username}" in demo-credentials.txt (there are: ${[...logins.keys()].join(', ')})`);
      return login;
    },
    async api(username) {
      let cookie = cookies.get(username);
      if (!cookie) {
        const { password } = concord.login(username);
        const response = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: url },
          body: JSON.stringify({ username, password }),
        });
        if (!response.ok) throw new Error(`logging ${username} in through the API: ${response.status} ${await response.text()}`);
        cookie = response.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        cookies.set(username, cookie);
      }
      const sessionCookie = cookie;
      return (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { origin: url, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers, cookie: sessionCookie } });
    },
    async documentId(symbol) {
      const call = await concord.api('secretariat');
      const group = (await (await call('/api/groups/cwg-ai')).json()) as { documents: { id: string; symbol: string }[] };
      const found = group.documents.find((d) => d.symbol === symbol);
      if (!found) throw new Error(`no document ${symbol} in cwg-ai (there are: ${group.documents.map((d) => d.symbol).join(', ')})`);
      return found.id;
    },
    async stop() {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
        await server.exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return concord;
}

/** `username password role` lines of demo-credentials.txt (the role may be `delegate (Brazil)`). */
function readCredentials(dataDir: string): Map<string, Login> {
  const logins = new Map<string, Login>();
  for (const line of readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [username, password, ...role] = line.trim().split(/\s+/);
    if (username && password) logins.set(username, { username, password, role: role.join(' ') });
  }
  return logins;
}
