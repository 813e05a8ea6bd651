import { Budget } from './budget.ts';

/**
 * What one connection may send of awareness (cursors, presence, the chair's provision). Concord's
 * client sends a state of a few hundred bytes (two relative positions and a provision anchor; the
 * `user` field is replaced by the server) a few times a second while its user types; the caps
 * leave ten times that. Without them one participant, an observer included, could have megabytes
 * relayed to everyone at 25 frames a second and push honest sockets past their send buffer.
 */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/** A frame larger than this is dropped unread: it cannot hold states within the cap for one tab. */
export const MAX_AWARENESS_FRAME_BYTES = 16 * 1024;
/** Awareness frames per second on average (a cursor moves at most 25 times a second), and the burst. */
const FRAMES_PER_SECOND = 30;
const BURST = 60;
/** Dropped frames a minute before the sender is closed: a bug sends a few, a flood keeps on. */
const DROPS_PER_MINUTE = 30;

export type AwarenessVerdict = 'pass' | 'drop' | 'close';

/** One connection's awareness gate: frame size and rate, and the offender count behind them. */
export class AwarenessGate {
  readonly #frames = new Budget(BURST, (BURST / FRAMES_PER_SECOND) * 1000);
  readonly #drops = new Budget(DROPS_PER_MINUTE, 60_000);
  /** Frames dropped since the connection opened (for the warning and the tests). */
  dropped = 0;

  /** Whether a frame of `bytes` may be read; an oversized frame costs five drops. */
  frame(bytes: number): AwarenessVerdict {
    if (bytes > MAX_AWARENESS_FRAME_BYTES) return this.#drop(5);
    if (!this.#frames.take()) return this.#drop(1);
    return 'pass';
  }

  /** Whether a state (its JSON as received) is within the cap. */
  state(json: string): AwarenessVerdict {
    return json.length > MAX_AWARENESS_STATE_BYTES ? this.#drop(5) : 'pass';
  }

  #drop(cost: number): AwarenessVerdict {
    this.dropped++;
    return this.#drops.take(cost) ? 'drop' : 'close';
  }
}
