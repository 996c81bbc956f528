/**
 * Each account's sync messages and the Merkle tree of their timestamps, in PostgreSQL.
 *
 * A push inserts messages with ON CONFLICT DO NOTHING and XORs into the tree only the
 * timestamps that were new, in the same statement: a message sent twice (a retry after a lost
 * answer, a device resending after a divergence) is stored once and counted once. XOR commutes,
 * so pushes of one account through different instances update the tree concurrently without a
 * lock on the account; rows are touched in a fixed order, so they cannot deadlock.
 *
 * A pull reads a page of messages and the root (and, when asked, the pruned tree) in one
 * statement, so they describe the same snapshot. (Needs PostgreSQL 14 or newer: bit_xor.)
 */
import { merkleFromNodes, merkleUpdates, type Envelope, type MerkleTree } from '@little-monster/sync';
import type pg from 'pg';

export interface PullResult {
  messages: Envelope[];
  more: boolean;
  cursor: string | null;
  merkle: { hash: number; tree?: MerkleTree };
}

/** Most messages one pull answers with. */
export const PULL_PAGE = 1000;
/** Transient conflicts between transactions that are simply tried again. */
const RETRYABLE = new Set(['40001', '40P01']);

export class SyncStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Stores the messages not stored yet, all or none: when one is not sealed with the account's
   * end-to-end key (or is sealed while the account has none), nothing is stored and the answer
   * says so. Answers how many were new.
   */
  async push(
    userId: string,
    deviceId: string,
    messages: readonly Envelope[],
  ): Promise<{ inserted: number; wrongKey: boolean }> {
    if (messages.length === 0) return { inserted: 0, wrongKey: false };
    // Each message's share of every node, computed here; the statement applies the shares of
    // the messages it actually inserted. One statement is one transaction and one round trip.
    const shares = messages.flatMap((message) =>
      merkleUpdates([message.timestamp]).map((update) => ({ timestamp: message.timestamp, ...update })),
    );
    const { rows } = await this.retrying(() =>
      this.pool.query<{ inserted: number; wrong_key: boolean }>(
        `WITH incoming AS (
           SELECT * FROM unnest($3::text[], $4::text[], $5::text[]) AS m(timestamp, key_id, content)
         ), wrong_key AS (
           SELECT EXISTS (
             SELECT 1 FROM incoming
              WHERE incoming.key_id IS DISTINCT FROM (SELECT envelope->>'keyId' FROM sync_keys WHERE user_id = $1)
           ) AS wrong
         ), inserted AS (
           INSERT INTO sync_messages (user_id, timestamp, key_id, content, device_id)
           SELECT $1, m.timestamp, m.key_id, decode(m.content, 'base64'), $2
             FROM incoming m
            WHERE NOT (SELECT wrong FROM wrong_key)
            ORDER BY m.timestamp COLLATE "C"
           ON CONFLICT (user_id, timestamp) DO NOTHING
           RETURNING timestamp
         ), deltas AS (
           SELECT s.path, bit_xor(s.hash) AS hash
             FROM unnest($6::text[], $7::text[], $8::int[]) AS s(timestamp, path, hash)
             JOIN inserted ON inserted.timestamp = s.timestamp COLLATE "C"
            GROUP BY s.path
         ), merged AS (
           INSERT INTO merkle_nodes (user_id, path, hash)
           SELECT $1, path, hash FROM deltas ORDER BY path COLLATE "C"
           ON CONFLICT (user_id, path) DO UPDATE SET hash = merkle_nodes.hash # excluded.hash
         )
         SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT wrong FROM wrong_key) AS wrong_key`,
        [
          userId,
          deviceId,
          messages.map((m) => m.timestamp),
          messages.map((m) => m.keyId),
          messages.map((m) => m.content),
          shares.map((s) => s.timestamp),
          shares.map((s) => s.path),
          shares.map((s) => s.hash),
        ],
      ),
    );
    return { inserted: rows[0]!.inserted, wrongKey: rows[0]!.wrong_key };
  }

  /**
   * Messages after `after` (oldest first, one page), leaving out `exclude` (what the device
   * just sent), with the root hash and, when asked, the tree pruned for sending. One statement,
   * so the page, the root and the tree come from one snapshot.
   */
  async pull(
    userId: string,
    after: string | null,
    exclude: ReadonlySet<string>,
    withTree: boolean,
  ): Promise<PullResult> {
    const { rows } = await this.pool.query<{
      root: number | null;
      timestamps: string[];
      key_ids: (string | null)[];
      contents: Buffer[];
      paths: string[] | null;
      hashes: number[] | null;
    }>(withTree ? PULL_WITH_TREE : PULL, [userId, after, PULL_PAGE + 1]);
    const row = rows[0]!;
    const more = row.timestamps.length > PULL_PAGE;
    const scanned = Math.min(PULL_PAGE, row.timestamps.length);
    const cursor = scanned > 0 ? row.timestamps[scanned - 1]! : after;
    const messages: Envelope[] = [];
    for (let index = 0; index < scanned; index++) {
      const timestamp = row.timestamps[index]!;
      if (!exclude.has(timestamp))
        messages.push({
          timestamp,
          keyId: row.key_ids[index]!,
          content: row.contents[index]!.toString('base64'),
        });
    }
    const hash = row.root ?? 0;
    if (!withTree) return { messages, more, cursor, merkle: { hash } };
    const nodes = row.paths!.map((path, index) => ({ path, hash: row.hashes![index]! }));
    return { messages, more, cursor, merkle: { hash, tree: merkleFromNodes(nodes) } };
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

  /** Runs a statement again after a deadlock or serialization failure between instances. */
  private async retrying<T>(statement: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await statement();
      } catch (error) {
        if (attempt < 5 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        throw error;
      }
    }
  }
}

const PAGE = `page AS (
  SELECT timestamp, key_id, content FROM sync_messages
   WHERE user_id = $1 AND ($2::text IS NULL OR timestamp > $2::text COLLATE "C")
   ORDER BY timestamp LIMIT $3
)`;
const PAGE_COLUMNS = `(SELECT hash FROM merkle_nodes WHERE user_id = $1 AND path = '') AS root,
  ARRAY(SELECT timestamp FROM page ORDER BY timestamp) AS timestamps,
  ARRAY(SELECT key_id FROM page ORDER BY timestamp) AS key_ids,
  ARRAY(SELECT content FROM page ORDER BY timestamp) AS contents`;
const PULL = `WITH ${PAGE} SELECT ${PAGE_COLUMNS}`;
/** The same, with the tree pruned to the two latest children of every node, walked down. */
const PULL_WITH_TREE = `WITH RECURSIVE ${PAGE}, kept(path, hash) AS (
  SELECT path, hash FROM merkle_nodes WHERE user_id = $1 AND path = ''
  UNION ALL
  SELECT child.path, child.hash FROM kept
  CROSS JOIN LATERAL (
    SELECT n.path, n.hash FROM merkle_nodes n
     WHERE n.user_id = $1 AND n.path IN (kept.path || '0', kept.path || '1', kept.path || '2')
     ORDER BY n.path DESC LIMIT 2
  ) AS child
)
SELECT ${PAGE_COLUMNS}, ARRAY(SELECT path FROM kept) AS paths, ARRAY(SELECT hash FROM kept) AS hashes`;
