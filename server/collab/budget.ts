/**
 * A token bucket: `capacity` units per `periodMs`, refilled continuously. `take(n)` spends n units
 * if there are that many. Used for per-connection limits (violations, resync requests, bytes).
 */
export class Budget {
  #left: number;
  #at = Date.now();

  constructor(
    readonly capacity: number,
    readonly periodMs: number,
  ) {
    this.#left = capacity;
  }

  take(units = 1): boolean {
    const now = Date.now();
    this.#left = Math.min(this.capacity, this.#left + ((now - this.#at) / this.periodMs) * this.capacity);
    this.#at = now;
    if (this.#left < units) return false;
    this.#left -= units;
    return true;
  }
}
