import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A request slower than this is worth an operator's attention. */
const SLOW_MS = 1000;

/**
 * What an operator needs from the request log: server errors (with their stack, as Fastify logs
 * them) and slow requests, not two lines per page, script and API call, nor a line per refused
 * request — under a flood those would bury the errors. Everything else is logged at `debug`
 * (LOG_LEVEL=debug), for tracing one problem.
 */
export class RequestLog extends LogController {
  readonly #redact: (url: string) => string;

  constructor(redact: (url: string) => string) {
    super();
    this.#redact = redact;
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = this.#line(request, reply);
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else if (line.ms >= SLOW_MS && !longLived(request.url)) request.log.warn(line, 'slow request');
    else request.log.debug(line, 'request');
  }

  /** 4xx answers say what to do to the client; the server has nothing to fix. */
  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) request.log.error({ ...this.#line(request, reply), err: error }, error.message);
    else request.log.debug({ ...this.#line(request, reply), err: error.message }, 'refused');
  }

  #line(request: FastifyRequest, reply: FastifyReply) {
    return { method: request.method, url: this.#redact(request.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) };
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: this.#redact(request.url) }, 'no route');
  }
}

/** A live connection (the WebSocket, an event stream) is meant to last: its length is not slowness. */
const longLived = (url: string) => url.startsWith('/collab/') || url.split('?')[0]!.endsWith('/events');
