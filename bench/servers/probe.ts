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

/** Sampling period: Node records the time between two timer callbacks, i.e. this period plus the delay. */
const RESOLUTION_MS = 5;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

process.on('message', (request: ProbeRequest) => {
  if (request.type === 'reset') {
    histogram.reset();
    return;
  }
  const ms = (ns: number) => (Number.isFinite(ns) && histogram.count > 0 ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : NaN);
  const reply: LoopDelay = { type: 'loop', p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
  process.send?.(reply);
});
// The IPC channel must not keep a server alive that would otherwise exit.
process.channel?.unref();
