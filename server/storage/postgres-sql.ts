import pg from 'pg';
import type { Sql, SqlValue } from './sql.ts';

/**
 * Row ids, millisecond times and counts are BIGINT in PostgreSQL, which `pg` hands over as
 * strings; every one of them fits a JavaScript number, which is what the stores expect (as from
 * SQLite). NUMERIC appears only as sums of lengths.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** A pool of connections for `url`, reading BIGINT as numbers. */
export function postgresPool(url: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 5000 });
  // An idle connection the server dropped (a restart) is replaced at the next query; not a crash.
  pool.on('error', () => {});
  return pool;
}

const converted = new Map<string, string>();

/** `?` placeholders as PostgreSQL's `$1, $2…` (the statements hold no `?` inside quotes). */
export function numbered(text: string): string {
  let out = converted.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    converted.set(text, out);
  }
  return out;
}

const value = (v: SqlValue): unknown => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Sql over PostgreSQL: a pool for statements on their own, one client per transaction. */
export class PostgresSql implements Sql {
  readonly dialect = 'postgres';

  constructor(
    readonly pool: pg.Pool,
    private readonly client: Queryable = pool,
  ) {}

  async get<T>(text: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.#query(text, params)).rows[0] as T | undefined;
  }

  async all<T>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.#query(text, params)).rows as T[];
  }

  async run(text: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.#query(text, params)).rowCount ?? 0;
  }

  async runWithoutWaitingForDisk(text: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.client !== this.pool) return this.run(text, params);
    return this.transaction(async (tx) => {
      await tx.exec('SET LOCAL synchronous_commit TO OFF');
      return tx.run(text, params);
    });
  }

  async exec(text: string): Promise<void> {
    await this.client.query(text);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.client !== this.pool) return work(this);
    const client = await this.pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresSql(this.pool, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // after a failure the connection may be the broken part: it is closed, not reused
      client.release(failed);
    }
  }

  #query(text: string, params: readonly SqlValue[]): Promise<pg.QueryResult> {
    return this.client.query(numbered(text), params.map(value));
  }
}
