import type Database from 'better-sqlite3';

export interface StorageSelfCheck {
  fts5: boolean;
  sqliteVec: string;
}

/**
 * Proves at start-up that the search extensions work, in throw-away temp tables: FTS5 answers
 * a MATCH and sqlite-vec answers a KNN query in the `MATCH ? AND k = ?` form the library uses.
 */
export function runSelfCheck(sqlite: Database.Database): StorageSelfCheck {
  sqlite.exec(`
    CREATE VIRTUAL TABLE temp.self_check_fts USING fts5(body);
    INSERT INTO temp.self_check_fts(body) VALUES ('spaced repetition works');
    CREATE VIRTUAL TABLE temp.self_check_vec USING vec0(embedding float[2]);
  `);
  try {
    const fts = sqlite
      .prepare('SELECT count(*) AS n FROM temp.self_check_fts WHERE self_check_fts MATCH ?')
      .get('repetition') as { n: number };
    const insert = sqlite.prepare('INSERT INTO temp.self_check_vec(rowid, embedding) VALUES (?, ?)');
    insert.run(1n, new Float32Array([1, 0]));
    insert.run(2n, new Float32Array([0, 1]));
    const nearest = sqlite
      .prepare('SELECT rowid FROM temp.self_check_vec WHERE embedding MATCH ? AND k = ? ORDER BY distance')
      .get(new Float32Array([0.1, 0.9]), 1) as { rowid: number } | undefined;
    if (fts.n !== 1) throw new Error('FTS5 did not find the self-check row');
    if (nearest?.rowid !== 2) throw new Error('sqlite-vec returned the wrong nearest neighbour');
    const { version } = sqlite.prepare('SELECT vec_version() AS version').get() as { version: string };
    return { fts5: true, sqliteVec: version };
  } finally {
    sqlite.exec('DROP TABLE temp.self_check_fts; DROP TABLE temp.self_check_vec;');
  }
}
