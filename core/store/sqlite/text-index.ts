import type Database from 'better-sqlite3';
import { TEXT_INDEXES } from '../sql/executor';

/**
 * Indexes the rows written since the last call, in every text index (migration 019): one
 * statement per index, so FTS5 writes one segment per write transaction instead of one per new
 * row. Runs at the end of every write transaction, inside it, so a committed row is always in its
 * index; `q` is only read outside write transactions.
 */
export function textIndexCatchUp(db: Database.Database): () => void {
  // A schema from before migration 019 (a test's older migrations) still indexes by triggers.
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'text_index_marks'").get()) return () => undefined;
  const statements = Object.entries(TEXT_INDEXES).flatMap(([table, { fts, columns }]) => [
    db.prepare(
      `INSERT INTO ${fts} (rowid, ${columns.join(', ')}) SELECT seq, ${columns.join(', ')} FROM ${table}
        WHERE seq > (SELECT indexed_seq FROM text_index_marks WHERE name = '${table}')`,
    ),
    db.prepare(
      `UPDATE text_index_marks SET indexed_seq = (SELECT MAX(seq) FROM ${table})
        WHERE name = '${table}' AND indexed_seq < (SELECT MAX(seq) FROM ${table})`,
    ),
  ]);
  return () => {
    for (const s of statements) s.run();
  };
}
