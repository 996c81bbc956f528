/**
 * Each account's sync messages and the Merkle tree of their timestamps, in PostgreSQL.
 *
 * A push inserts messages with ON CONFLICT DO NOTHING and XORs into the tree only the
 * timestamps that were new, in the same transaction: a message sent twice (a retry after a lost
 * answer, a device resending after a divergence) is stored once and counted once. XOR commutes,
 * so pushes of one account through different instances update the tree concurrently without a
 * lock on the account; rows are touched in a fixed order, so they cannot deadlock.
 *
 * A pull reads a page of messages and the root (and, when asked, the pruned tree) in one
 * REPEATABLE READ snapshot, so they describe the same state.
 */
import { merkleFromNodes, merkleUpdates, type Envelope, type MerkleTree } from '@little-monster/sync';
import type pg from 'pg';

export interface PullResult {
  messages: Envelope[];
  more: boolean;
  merkle: { hash: number; tree?: MerkleTree };
}

/** Most messages one pull answers with. */
export const PULL_PAGE = 1000;
/** Transient conflicts between transactions that are simply tried again. */
const RETRYABLE = new Set(['40001', '40P01']);

export class SyncStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores messages not stored yet; answers how many were new. */
  async push(userId: string, deviceId: string, messages: readonly Envelope[]): Promise<number> {
    if (messages.length === 0) return 0;
    const sorted = [...messages].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
    return this.transaction('BEGIN', async (client) => {
      const inserted = await client.query<{ timestamp: string }>(
        `INSERT INTO sync_messages (user_id, timestamp, key_id, content, device_id)
         SELECT $1, m.timestamp, m.key_id, decode(m.content, 'base64'), $2
           FROM unnest($3::text[], $4::text[], $5::text[]) AS m(timestamp, key_id, content)
         ON CONFLICT (user_id, timestamp) DO NOTHING
         RETURNING timestamp`,
        [
          userId,
          deviceId,
          sorted.map((m) => m.timestamp),
          sorted.map((m) => m.keyId),
          sorted.map((m) => m.content),
        ],
      );
      const updates = merkleUpdates(inserted.rows.map((row) => row.timestamp));
      if (updates.length > 0)
        await client.query(
          `INSERT INTO merkle_nodes (user_id, path, hash)
           SELECT $1, n.path, n.hash FROM unnest($2::text[], $3::int[]) AS n(path, hash) ORDER BY n.path COLLATE "C"
           ON CONFLICT (user_id, path) DO UPDATE SET hash = merkle_nodes.hash # excluded.hash`,
          [userId, updates.map((u) => u.path), updates.map((u) => u.hash)],
        );
      return inserted.rowCount ?? 0;
    });
  }

  /**
   * Messages after `after` (oldest first, one page), leaving out `exclude` (what the device
   * just sent), with the root hash and, when asked, the tree pruned for sending.
   */
  async pull(
    userId: string,
    after: string | null,
    exclude: ReadonlySet<string>,
    withTree: boolean,
  ): Promise<PullResult> {
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const page = await client.query<{ timestamp: string; key_id: string | null; content: Buffer }>(
        `SELECT timestamp, key_id, content FROM sync_messages
          WHERE user_id = $1 AND ($2::text IS NULL OR timestamp > $2::text COLLATE "C")
          ORDER BY timestamp LIMIT $3`,
        [userId, after, PULL_PAGE + 1],
      );
      const more = page.rows.length > PULL_PAGE;
      const messages: Envelope[] = [];
      for (const row of page.rows.slice(0, PULL_PAGE))
        if (!exclude.has(row.timestamp))
          messages.push({
            timestamp: row.timestamp,
            keyId: row.key_id,
            content: row.content.toString('base64'),
          });
      const root = await client.query<{ hash: number }>(
        `SELECT hash FROM merkle_nodes WHERE user_id = $1 AND path = ''`,
        [userId],
      );
      const hash = root.rows[0]?.hash ?? 0;
      return {
        messages,
        more,
        merkle: withTree ? { hash, tree: await prunedTree(client, userId) } : { hash },
      };
    });
  }

  /** Every message of an account, oldest first, a page at a time (for the data export). */
  async *all(userId: string): AsyncGenerator<Envelope & { receivedAt: Date }> {
    let after: string | null = null;
    for (;;) {
      const {
        rows,
      }: pg.QueryResult<{ timestamp: string; key_id: string | null; content: Buffer; received_at: Date }> =
        await this.pool.query(
          `SELECT timestamp, key_id, content, received_at FROM sync_messages
            WHERE user_id = $1 AND ($2::text IS NULL OR timestamp > $2::text COLLATE "C")
            ORDER BY timestamp LIMIT $3`,
          [userId, after, PULL_PAGE],
        );
      for (const row of rows)
        yield {
          timestamp: row.timestamp,
          keyId: row.key_id,
          content: row.content.toString('base64'),
          receivedAt: row.received_at,
        };
      if (rows.length < PULL_PAGE) return;
      after = rows.at(-1)!.timestamp;
    }
  }

  private async transaction<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query(begin);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if (attempt < 5 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        throw error;
      } finally {
        client.release();
      }
    }
  }
}

/** The tree with the two latest children of every node, walked down in one recursive query. */
async function prunedTree(client: pg.PoolClient, userId: string): Promise<MerkleTree> {
  const { rows } = await client.query<{ path: string; hash: number }>(
    `WITH RECURSIVE kept(path, hash) AS (
       SELECT path, hash FROM merkle_nodes WHERE user_id = $1 AND path = ''
       UNION ALL
       SELECT child.path, child.hash FROM kept
       CROSS JOIN LATERAL (
         SELECT n.path, n.hash FROM merkle_nodes n
          WHERE n.user_id = $1 AND n.path IN (kept.path || '0', kept.path || '1', kept.path || '2')
          ORDER BY n.path DESC LIMIT 2
       ) AS child
     )
     SELECT path, hash FROM kept`,
    [userId],
  );
  return merkleFromNodes(rows);
}
