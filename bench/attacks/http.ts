import http from 'node:http';

/**
 * HTTP requests of the hostile workload from a chosen local address (127.x.y.z: every loopback
 * address is this machine), since Concord's limits count per address. One request per call;
 * an answer is its status, a failure (refused, reset, timed out) is 0.
 */
export interface Answer {
  status: number;
  ms: number;
}

export interface RequestOptions {
  port: number;
  path: string;
  method?: 'GET' | 'POST';
  localAddress: string;
  /** JSON body (POST). */
  body?: unknown;
  headers?: Record<string, string>;
  agent?: http.Agent | false;
  timeoutMs?: number;
  /** Aborts the request (the answer is then status 0). */
  signal?: AbortSignal;
}

export function request(options: RequestOptions): Promise<Answer> {
  const started = performance.now();
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      resolve({ status, ms: performance.now() - started });
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        localAddress: options.localAddress,
        agent: options.agent ?? false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }), ...options.headers },
        signal: options.signal,
      },
      (response) => {
        response.resume();
        response.once('end', () => finish(response.statusCode ?? 0));
        response.once('error', () => finish(response.statusCode ?? 0));
      },
    );
    req.once('error', () => finish(0));
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy());
    req.end(body);
  });
}

/** Counts of answers by status ("0" for failures). */
export type StatusCounts = Record<string, number>;

export function countStatus(counts: StatusCounts, status: number): void {
  counts[String(status)] = (counts[String(status)] ?? 0) + 1;
}
