import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Type } from 'typebox';

/**
 * Prometheus metrics in the text exposition format: rooms, connections, stored updates, refusals,
 * malformed frames, event-loop delay and memory. Counts only — no document, user or delegation
 * names — so it can be scraped without a session (keep it behind the reverse proxy in production).
 */
export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { hub } = app;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  app.addHook('onClose', async () => loop.disable());

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (text format)',
        security: [],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      const { rooms, connections } = hub.gauges();
      const c = hub.counters;
      const memory = process.memoryUsage();
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      const lines = [
        ['concord_rooms', 'gauge', 'Documents loaded in memory', rooms],
        ['concord_connections', 'gauge', 'Open collaboration connections', connections],
        ['concord_connections_opened_total', 'counter', 'Collaboration connections opened', c.connectionsOpened],
        ['concord_updates_stored_total', 'counter', 'Yjs updates stored and broadcast', c.updatesStored],
        ['concord_update_bytes_total', 'counter', 'Bytes of Yjs updates stored', c.updateBytes],
        ['concord_refusals_total', 'counter', 'Updates refused whole by the rules of the working group (sender closed)', c.refusals],
        ['concord_compensations_total', 'counter', 'Updates of which what broke a rule was taken back (the rest kept)', c.compensations],
        ['concord_resyncs_total', 'counter', 'Updates not applied because they depend on content the server lacks (sender asked to resync)', c.resyncs],
        ['concord_awareness_dropped_total', 'counter', 'Awareness frames or states dropped as too large or too frequent', c.awarenessDropped],
        ['concord_malformed_frames_total', 'counter', 'Frames that could not be decoded (connection closed)', c.malformed],
        ['concord_event_loop_delay_p99_seconds', 'gauge', 'Event-loop delay, 99th percentile since the last scrape', seconds(loop.percentile(99))],
        ['concord_event_loop_delay_max_seconds', 'gauge', 'Event-loop delay, maximum since the last scrape', seconds(loop.max)],
        ['concord_heap_used_bytes', 'gauge', 'V8 heap in use', memory.heapUsed],
        ['concord_resident_memory_bytes', 'gauge', 'Resident set size', memory.rss],
      ] as const;
      loop.reset();
      reply.type('text/plain; version=0.0.4; charset=utf-8');
      return `${lines.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`).join('\n')}\n`;
    },
  );
};
