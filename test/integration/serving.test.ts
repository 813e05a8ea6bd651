import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The browser app is built for real into a folder of this file's own (CONCORD_CLIENT_DIR is read
// when the server modules load, hence the dynamic imports below).
const clientDir = mkdtempSync(join(tmpdir(), 'concord-client-'));
process.env.CONCORD_CLIENT_DIR = clientDir;
const { ensureClientBuild } = await import('../../server/client-build.ts');
const { startServer } = await import('../support/server.ts');
const { RequestLog } = await import('../../server/http/request-log.ts');
type TestServer = Awaited<ReturnType<typeof startServer>>;

/** The browser app as a room receives it: compressed once at build, hashed files cached for good. */
describe('serving the browser app', () => {
  let server: TestServer;
  let script: string;
  beforeAll(async () => {
    await ensureClientBuild(() => {});
    script = `/assets/${readdirSync(join(clientDir, 'assets')).find((name) => name.endsWith('.js'))!}`;
    server = await startServer({ serveClient: true });
  }, 120_000);
  afterAll(() => server?.close());

  it('sends the hashed script brotli-compressed, as immutable for a year', async () => {
    const response = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    const sent = Buffer.from(await (await rawFetch(`${server.url}${script}`, 'br')).arrayBuffer());
    const original = readFileSync(join(clientDir, script));
    expect(sent.length).toBeLessThan(original.length / 3);
    expect(brotliDecompressSync(sent).equals(original)).toBe(true);
  });

  it('falls back to gzip, then to the plain file, by what the browser accepts', async () => {
    const gz = Buffer.from(await (await rawFetch(`${server.url}${script}`, 'gzip')).arrayBuffer());
    expect(gunzipSync(gz).equals(readFileSync(join(clientDir, script)))).toBe(true);
    const plain = await rawFetch(`${server.url}${script}`, 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(readFileSync(join(clientDir, script)))).toBe(true);
  });

  it('revalidates the page itself on every load, at / and at any page path', async () => {
    for (const path of ['/', '/groups/cwg-ai', `/documents/${server.documentId}`]) {
      const response = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'br' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      expect(await response.text(), path).toContain(script);
    }
  });
});

/** fetch() decompresses by itself; this asks for one encoding and keeps the bytes as sent. */
async function rawFetch(url: string, encoding: string): Promise<Response> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: res.headers as Record<string, string> })));
    })
      .on('error', reject)
      .end();
  });
}

describe('the request log', () => {
  it('keeps server errors and slow requests, not a line per ordinary request', async () => {
    const lines: { level: number; msg: string; url?: string; statusCode?: number }[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream }, logController: new RequestLog((url) => url.replace(/token=[^&]*/, 'token=[redacted]')) });
    app.get('/fine', async () => 'ok');
    app.get('/broken', async () => {
      throw new Error('disk gone');
    });
    app.get('/refused', async (_request, reply) => reply.code(429).send({ message: 'slow down' }));
    app.get('/bad', async () => {
      throw Object.assign(new Error('no such thing'), { statusCode: 404 });
    });
    app.get('/slow', async () => {
      await new Promise((r) => setTimeout(r, 1100));
      return 'late';
    });
    await app.inject('/fine?token=secret');
    await app.inject('/broken?token=secret');
    await app.inject('/refused');
    await app.inject('/bad');
    await app.inject('/nowhere');
    await app.inject('/slow');
    await app.close();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'disk gone'],
      [40, 'slow request'],
    ]);
    expect(lines[0]!.statusCode).toBe(500);
    expect(lines[0]!.url).toBe('/broken?token=[redacted]');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
