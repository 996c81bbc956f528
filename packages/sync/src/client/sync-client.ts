/**
 * One sync of a device with the server: push what the server has not acknowledged, pull what
 * other devices sent, and check the Merkle roots. When the roots differ after that (a device
 * that was offline pushed old changes, or the server lost some), the server's pruned tree
 * shows from which minute the two differ; the device pulls again from there and, if that is
 * not enough, sends again what it holds from there. The server keeps each message once, so
 * sending again is always safe, and nothing is marked sent before the server confirmed it.
 */
import type { StampedChange } from '../change.js';
import type { MessageCodec } from '../e2ee.js';
import { cursorBefore, type HybridLogicalClock } from '../hlc.js';
import { diffMerkle, type MerkleTree } from '../merkle.js';
import {
  MAX_MESSAGES_PER_REQUEST,
  MAX_REQUEST_CONTENT_CHARS,
  type Envelope,
  type SyncRequest,
  type SyncResponse,
} from '../protocol.js';

/** A device's database, as sync sees it. */
export interface SyncReplica {
  /** This database's clock: remote timestamps go through it so later local ones sort after them. */
  readonly clock: HybridLogicalClock;
  /** Local changes (and any queued again) the server has not confirmed, oldest first. */
  unsent(limit: number): Promise<StampedChange[]>;
  markSent(timestamps: readonly string[]): Promise<void>;
  /** Queues again every change in the log stamped at or after `millis`. */
  resendSince(millis: number): Promise<void>;
  /**
   * Stores and applies changes from other devices in one transaction, skipping timestamps
   * already in the log; each new timestamp enters the Merkle tree exactly once.
   */
  applyRemote(changes: readonly StampedChange[]): Promise<void>;
  /** The tree of every timestamp in the log. */
  merkle(): Promise<MerkleTree>;
  /** The timestamp after which the next pull starts (null: from the beginning). */
  cursor(): Promise<string | null>;
  setCursor(cursor: string | null): Promise<void>;
}

export interface SyncTransport {
  sync(request: SyncRequest): Promise<SyncResponse>;
}

export interface SyncResult {
  pushed: number;
  pulled: number;
  /** Requests made. */
  rounds: number;
}

/** The roots still differ after this many requests: something keeps changing or is broken. */
export class SyncDidNotSettleError extends Error {
  constructor(rounds: number) {
    super(`Sync did not settle after ${rounds} exchanges with the server; it will try again later.`);
    this.name = 'SyncDidNotSettleError';
  }
}

const MAX_ROUNDS = 50;

export async function syncOnce(
  replica: SyncReplica,
  transport: SyncTransport,
  codec: MessageCodec,
  options: { pageSize?: number } = {},
): Promise<SyncResult> {
  const pageSize = options.pageSize ?? MAX_MESSAGES_PER_REQUEST;
  const result: SyncResult = { pushed: 0, pulled: 0, rounds: 0 };
  let after = await replica.cursor();
  let wantTree = false;
  /** Where the last divergence was found, to tell a pull that fixed it from one that did not. */
  let divergence: number | undefined;

  while (result.rounds < MAX_ROUNDS) {
    result.rounds += 1;
    const { outgoing, envelopes, full } = seal(await replica.unsent(pageSize), codec, pageSize);
    const response = await transport.sync({ messages: envelopes, after, tree: wantTree });
    await replica.markSent(outgoing.map((change) => change.timestamp));
    result.pushed += outgoing.length;

    // Every message of the page opens and passes the clock before any is applied.
    const incoming = response.messages.map((envelope) => codec.open(envelope));
    for (const change of incoming) replica.clock.receive(change.timestamp);
    await replica.applyRemote(incoming);
    result.pulled += incoming.length;
    if (response.cursor !== null && (after === null || response.cursor > after)) after = response.cursor;
    await replica.setCursor(after);

    if (response.more || full) continue;
    if ((await replica.unsent(1)).length > 0) continue;
    const local = await replica.merkle();
    if (local.hash === response.merkle.hash) return result;
    if (!response.merkle.tree) {
      wantTree = true;
      continue;
    }
    wantTree = false;
    const from = diffMerkle(local, response.merkle.tree);
    if (from === null) continue; // the roots changed in between: look again
    // Pulling from the divergence again did not close it: the server lacks something here.
    if (divergence !== undefined && from >= divergence) await replica.resendSince(from);
    divergence = from;
    after = cursorBefore(from);
  }
  throw new SyncDidNotSettleError(result.rounds);
}

/** Seals the changes that fit in one request; `full` when some were left for the next. */
function seal(changes: StampedChange[], codec: MessageCodec, pageSize: number) {
  const envelopes: Envelope[] = [];
  let chars = 0;
  for (const change of changes) {
    const envelope = codec.seal(change);
    chars += envelope.content.length;
    if (envelopes.length > 0 && chars > MAX_REQUEST_CONTENT_CHARS) break;
    envelopes.push(envelope);
  }
  return {
    outgoing: changes.slice(0, envelopes.length),
    envelopes,
    full: envelopes.length < changes.length || changes.length === pageSize,
  };
}
