import type { Row } from '../measure.ts';
import type { ServerName, StartOptions } from '../servers.ts';

/** How big a run is: the default run, or `--quick` for a smoke test. */
export interface Sizes {
  /** Clients in the hot document, one measurement each. */
  hotClients: number[];
  /** Seconds of typing (or cursor moving) per measurement. */
  seconds: number;
  /** Documents of the many-documents workload (3 clients each). */
  manyDocuments: number;
  /** Encoded size of the initial-sync storm's document. */
  stormBytes: number;
  /** Stored updates of the cold-loaded document. */
  coldUpdates: number;
  /** Clients of the awareness storm. */
  awarenessClients: number;
  /** Hostile workload: how long after an attack its probes may take to be back under 100 ms. */
  hostileRecoverySeconds: number;
}

/** One workload of ARCHITECTURE.md §5, run against one server in a fresh process. */
export interface Workload {
  key: string;
  /** The servers it applies to (the relay has no state to load or store). */
  servers: readonly ServerName[];
  /** Left out of `--quick` unless named with --workloads (default: in it). */
  inQuick?: boolean;
  run(server: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]>;
}

/** Full Yjs clients that type and measure; the other clients of a room are silent (ARCHITECTURE.md §5). */
export const TYPISTS = 10;
export const OBSERVERS = 10;
