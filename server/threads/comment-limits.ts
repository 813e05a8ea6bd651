import { MAX_COMMENT_LENGTH } from '../../shared/threads.ts';

/**
 * Limits on what one person may write into threads: how often (a sliding window per user) and how
 * much (the body's length, also in the route's schema). Each refusal names the rule it applies.
 */
export interface CommentLimitOptions {
  /** Comments (new threads, replies and edits) one user may post in a window; default 20. */
  comments: number;
  /** The window, in milliseconds; default one minute. */
  windowMs: number;
  /** Live thread streams one user may hold open at once (browser tabs); default 20. */
  streams: number;
}

export const DEFAULT_COMMENT_LIMITS: CommentLimitOptions = { comments: 20, windowMs: 60_000, streams: 20 };

export class CommentRateLimit {
  readonly #posted = new Map<number, number[]>();
  readonly #options: CommentLimitOptions;

  constructor(
    options: Partial<CommentLimitOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#options = { ...DEFAULT_COMMENT_LIMITS, ...options };
  }

  /** Counts one comment of `userId`, or says why it is refused (nothing is counted then). */
  take(userId: number): string | null {
    const now = this.now();
    const { comments, windowMs } = this.#options;
    const recent = (this.#posted.get(userId) ?? []).filter((at) => at > now - windowMs);
    if (recent.length >= comments) {
      const wait = Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000));
      this.#posted.set(userId, recent);
      return `you are commenting too fast: at most ${comments} comments in ${windowMs / 1000} s; try again in ${wait} s`;
    }
    recent.push(now);
    this.#posted.set(userId, recent);
    if (this.#posted.size > 10_000) this.#forgetIdle(now);
    return null;
  }

  #forgetIdle(now: number): void {
    for (const [userId, times] of this.#posted) {
      if (times.every((at) => at <= now - this.#options.windowMs)) this.#posted.delete(userId);
    }
  }
}

/** The body as stored: line endings made "\n", trailing spaces cut; or why it is refused. */
export function commentText(body: string): { text: string } | { refusal: string } {
  const text = body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
  if (!text) return { refusal: 'a comment cannot be empty' };
  if (text.length > MAX_COMMENT_LENGTH) return { refusal: `a comment can be at most ${MAX_COMMENT_LENGTH} characters (this one has ${text.length})` };
  return { text };
}
