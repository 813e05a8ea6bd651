import { Budget } from '../collab/budget.ts';
import { LoginLockout } from './lockout.ts';

/** Why a login is not tried now: the HTTP status and a message that says what to do. */
export interface LoginRefusal {
  status: 429 | 503;
  message: string;
  retryAfterSeconds: number;
}

/**
 * The limits on sign-ins, none of them per address: a delegation hall signs in from one venue
 * address, so 200 people must be able to sign in at once. Guessing stays slow because the limits
 * are per account (a few a minute, and the lock after repeated failures) and for the whole server
 * (a ceiling on the hashes all sign-ins may ask for, whatever address or username they give).
 */
export class LoginLimits {
  readonly lockout = new LoginLockout();
  readonly #perAccount = new Map<string, Budget>();
  readonly #everyone: Budget;

  constructor(
    private readonly perAccountPerMinute: number,
    perMinute: number,
  ) {
    this.#everyone = new Budget(perMinute, 60_000);
  }

  /** Counts a login for `username` before its password is checked, or says why it is not tried. */
  admit(username: string): LoginRefusal | null {
    const key = username.toLowerCase();
    let account = this.#perAccount.get(key);
    if (!account) {
      if (this.#perAccount.size >= 100_000) this.#perAccount.delete(this.#perAccount.keys().next().value!);
      account = new Budget(this.perAccountPerMinute, 60_000);
      this.#perAccount.set(key, account);
    }
    if (!account.take()) {
      return { status: 429, message: `too many sign-ins for "${username.slice(0, 64)}" in a minute; wait a minute and try again`, retryAfterSeconds: 60 };
    }
    const locked = this.lockout.lockedMinutes(username);
    if (locked) {
      return {
        status: 429,
        message: `too many wrong passwords for "${username.slice(0, 64)}": try again in ${locked} minute${locked === 1 ? '' : 's'}, or ask the secretariat to reset the password`,
        retryAfterSeconds: locked * 60,
      };
    }
    if (!this.#everyone.take()) {
      return { status: 503, message: 'many people are signing in at once; try again in a few seconds', retryAfterSeconds: 5 };
    }
    this.lockout.attempt(username);
    return null;
  }
}
