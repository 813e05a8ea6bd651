/**
 * Locks a username after repeated wrong passwords, on top of the per-address rate limit: a
 * guessing attack spread over many addresses still meets the lock. The lock is per username and
 * short, so a delegate who mistyped can try again after a coffee, and it is in memory on purpose
 * (a restart lifts it; the audit log keeps every failure).
 */
export class LoginLockout {
  readonly #failures = new Map<string, { count: number; first: number; lockedUntil: number }>();

  constructor(
    private readonly maxFailures = 8,
    private readonly windowMs = 15 * 60_000,
    private readonly lockMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Minutes left on the lock of `username`, or 0 when it may try. */
  lockedMinutes(username: string): number {
    const entry = this.#failures.get(username.toLowerCase());
    if (!entry || entry.lockedUntil <= this.now()) return 0;
    return Math.ceil((entry.lockedUntil - this.now()) / 60_000);
  }

  failed(username: string): void {
    const key = username.toLowerCase();
    const now = this.now();
    const entry = this.#failures.get(key);
    if (!entry || now - entry.first > this.windowMs) {
      this.#failures.set(key, { count: 1, first: now, lockedUntil: 0 });
      return;
    }
    entry.count++;
    if (entry.count >= this.maxFailures) entry.lockedUntil = now + this.lockMs;
    if (this.#failures.size > 100_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.#failures.delete(username.toLowerCase());
  }
}
