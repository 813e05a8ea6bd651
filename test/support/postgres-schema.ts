import type pg from 'pg';
import { migratePostgres } from '../../server/storage/migrations.ts';
import { PostgresSql } from '../../server/storage/postgres-sql.ts';

/** Applies Concord's PostgreSQL migrations and adds a working group with a document of each id (the update log refers to documents). */
export async function migratedWithDocuments(pool: pg.Pool, documentIds: readonly string[]): Promise<void> {
  await migratePostgres(new PostgresSql(pool));
  const group = await pool.query<{ id: string }>("INSERT INTO working_groups (slug, name) VALUES ('test-wg', 'Test group') RETURNING id");
  for (const [i, id] of documentIds.entries()) {
    await pool.query("INSERT INTO documents (id, group_id, symbol, title, type) VALUES ($1, $2, $3, 'Test', 'resolution')", [id, group.rows[0]!.id, `TEST/${i + 1}`]);
  }
}
