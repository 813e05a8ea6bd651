/**
 * Locks a username after repeated wrong passwords, on top of the login rates (login-limits.ts): a
 * guessing attack spread over many addresses still meets the lock. Each attempt is counted when it
 * starts, before its hash is checked, and taken back only by a success: guesses sent in parallel
 * cannot all be checked before the first of them fails. The lock is per username and short, so a
 * delegate who mistyped can try again after a coffee, and it is in memory on purpose (a restart
 * lifts it; the audit log keeps every failure).
 */
export class LoginLockout {
  readonly #attempts = new Map<string, { count: number; first: number; lockedUntil: number }>();

  constructor(
    private readonly maxFailures = 8,
    private readonly windowMs = 15 * 60_000,
    private readonly lockMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Minutes left on the lock of `username`, or 0 when it may try. */
  lockedMinutes(username: string): number {
    const entry = this.#attempts.get(username.toLowerCase());
    const now = this.now();
    return entry && entry.lockedUntil > now ? Math.ceil((entry.lockedUntil - now) / 60_000) : 0;
  }

  /**
   * Counts an attempt for `username` before its password is checked. Returns the minutes left
   * on its lock (the attempt is then not made), or 0 when it may be checked.
   */
  attempt(username: string): number {
    const key = username.toLowerCase();
    const now = this.now();
    const entry = this.#attempts.get(key);
    if (entry && entry.lockedUntil > now) return Math.ceil((entry.lockedUntil - now) / 60_000);
    if (!entry || now - entry.first > this.windowMs) {
      this.#attempts.set(key, { count: 1, first: now, lockedUntil: 0 });
      if (this.#attempts.size > 100_000) this.#attempts.delete(this.#attempts.keys().next().value!);
      return 0;
    }
    entry.count++;
    if (entry.count >= this.maxFailures) entry.lockedUntil = now + this.lockMs;
    return 0;
  }

  /** The password was right: the attempts counted for this username are forgotten. */
  succeeded(username: string): void {
    this.#attempts.delete(username.toLowerCase());
  }
}
