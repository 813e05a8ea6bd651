/**
 * Preloaded into every server process (`node --import tsx --import bench/servers/probe.ts …`), so
 * Concord runs unchanged and all servers are measured alike: an event-loop delay histogram the
 * benchmark resets and reads over the IPC channel.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What the benchmark asks. */
export type ProbeRequest = { type: 'reset' } | { type: 'read' };
/** The event-loop delay since the last reset, in milliseconds. */
export interface LoopDelay {
  type: 'loop';
  p50: number;
  p99: number;
  max: number;
}

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

process.on('message', (request: ProbeRequest) => {
  if (request.type === 'reset') {
    histogram.reset();
    return;
  }
  const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : NaN);
  const reply: LoopDelay = { type: 'loop', p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
  process.send?.(reply);
});
// The IPC channel must not keep a server alive that would otherwise exit.
process.channel?.unref();
