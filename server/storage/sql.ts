import type { Db } from './database.ts';

/** A value a statement takes as a parameter (`?` in the text, in order). */
export type SqlValue = string | number | bigint | null | Uint8Array;

/**
 * What the stores need of a database, the same for SQLite and PostgreSQL: statements with `?`
 * parameters, written in the SQL both engines read (RETURNING, ON CONFLICT, double-quoted aliases,
 * no engine-specific functions), and transactions. SQLite answers at once (better-sqlite3 is
 * synchronous); PostgreSQL over the network (postgres-sql.ts).
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  get<T>(text: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs a statement whose commit need not wait for the disk: it reaches it with the next sync,
   * within milliseconds (rows an attacker can make by the hundred, such as failed sign-ins, whose
   * syncs would otherwise hold up everyone).
   */
  runWithoutWaitingForDisk(text: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs several statements without parameters (a migration). */
  exec(text: string): Promise<void>;
  /**
   * Runs `work` in one transaction: all of it is stored or none. On SQLite the work must wait on
   * nothing but its own statements (the one connection is the whole server's: see SqliteSql).
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

/** A transaction waited on something else than its statements (a SQLite transaction must not). */
export class TransactionSpannedError extends Error {}

/**
 * Sql over better-sqlite3. Its one connection serves the whole process, so a transaction must not
 * let anyone else's statement in: the work of a transaction runs within one turn of the event loop
 * (its statements answer at once), statements from elsewhere wait until it ends, and a transaction
 * still open when the loop turns is rolled back with an error — a programming mistake the tests see.
 */
export class SqliteSql implements Sql {
  readonly dialect = 'sqlite';
  #open: Promise<void> | null = null;
  readonly #direct: Sql;

  constructor(readonly db: Db) {
    const direct: Sql = {
      dialect: 'sqlite',
      get: async (text, params = []) => this.db.prepare(text).get(...params) as never,
      all: async (text, params = []) => this.db.prepare(text).all(...params) as never,
      run: async (text, params = []) => this.db.prepare(text).run(...params).changes,
      // inside a transaction the sync level cannot change: the transaction's commit decides
      runWithoutWaitingForDisk: (text, params) => direct.run(text, params),
      exec: async (text) => void this.db.exec(text),
      transaction: (work) => work(direct),
    };
    this.#direct = direct;
  }

  get<T>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.#when(() => this.db.prepare(text).get(...params) as T | undefined);
  }

  all<T>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.#when(() => this.db.prepare(text).all(...params) as T[]);
  }

  run(text: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#when(() => this.db.prepare(text).run(...params).changes);
  }

  runWithoutWaitingForDisk(text: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#when(() => {
      this.db.pragma('synchronous = NORMAL');
      try {
        return this.db.prepare(text).run(...params).changes;
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    });
  }

  exec(text: string): Promise<void> {
    return this.#when(() => void this.db.exec(text));
  }

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.#open) return this.#open.then(() => this.transaction(work));
    // opened before anything awaits: whoever comes next in this turn finds it open and waits
    let end!: () => void;
    this.#open = new Promise((resolve) => (end = resolve));
    return this.#run(work).finally(() => {
      this.#open = null;
      end();
    });
  }

  async #run<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    let turned = false;
    const watch = setImmediate(() => (turned = true));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = await work(this.#direct);
      if (turned) throw new TransactionSpannedError('a SQLite transaction waited on something besides its own statements, and was rolled back');
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      clearImmediate(watch);
    }
  }

  /** Whether a transaction of this connection is open now (the group commit waits for it to end). */
  get inTransaction(): boolean {
    return this.#open !== null;
  }

  /** Runs `statement` now, or once the open transaction has ended. */
  #when<T>(statement: () => T): Promise<T> {
    if (this.#open) return this.#open.then(() => this.#when(statement));
    try {
      return Promise.resolve(statement());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
