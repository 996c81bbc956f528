/**
 * A Merkle tree of message timestamps (the idea of Actual Budget's sync): a ternary trie keyed
 * by the minute of each timestamp written in base 3, every node holding the XOR of the hashes of
 * the timestamps below it. Two replicas that hold the same messages have the same root hash;
 * when they differ, walking down to the first differing child finds the minute from which one
 * of them lacks something, and only messages from there on are exchanged again.
 *
 * XOR is order-free, which lets the server update nodes from concurrent transactions, but it
 * also cancels a timestamp inserted twice: insert each timestamp exactly once (only when its
 * message is stored for the first time).
 */
import { createHash } from 'node:crypto';
import { parseTimestamp } from './hlc.js';

export type MerkleDigit = '0' | '1' | '2';

export interface MerkleTree {
  /** XOR of the hashes of every timestamp below this node (a signed 32-bit integer). */
  hash: number;
  '0'?: MerkleTree;
  '1'?: MerkleTree;
  '2'?: MerkleTree;
}

/** A node's position and its hash change, as the server stores and updates nodes. */
export interface MerkleNodeUpdate {
  /** Base-3 digits from the root ('' is the root). */
  path: string;
  hash: number;
}

/** Minutes since 1970 fit 21 base-3 digits up to the clock's last year (9999). */
export const MERKLE_DEPTH = 21;
const DIGITS: readonly MerkleDigit[] = ['0', '1', '2'];
const EMPTY: MerkleTree = Object.freeze({ hash: 0 });

export function emptyMerkle(): MerkleTree {
  return { hash: 0 };
}

/** A timestamp's hash: the first 32 bits of its SHA-256. */
export function timestampHash(timestamp: string): number {
  return createHash('sha256').update(timestamp).digest().readInt32BE(0);
}

/** The leaf a timestamp belongs to: its minute in base 3. */
export function merkleKey(timestamp: string): string {
  const minutes = Math.floor(parseTimestamp(timestamp).millis / 60_000);
  return minutes.toString(3).padStart(MERKLE_DEPTH, '0');
}

/** The first millisecond covered by the node at `path`. */
export function merklePathStart(path: string): number {
  return parseInt(path.padEnd(MERKLE_DEPTH, '0'), 3) * 60_000;
}

/**
 * The change each node takes when these timestamps are added (or the same set removed), one
 * entry per node, root first then by path: the server applies them as `hash = hash XOR delta`.
 */
export function merkleUpdates(timestamps: Iterable<string>): MerkleNodeUpdate[] {
  const deltas = new Map<string, number>();
  for (const timestamp of timestamps) {
    const key = merkleKey(timestamp);
    const hash = timestampHash(timestamp);
    for (let depth = 0; depth <= MERKLE_DEPTH; depth++) {
      const path = key.slice(0, depth);
      deltas.set(path, (deltas.get(path) ?? 0) ^ hash);
    }
  }
  return [...deltas]
    .map(([path, hash]) => ({ path, hash }))
    .sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A new tree with these timestamps added; `tree` is left as it was. */
export function insertIntoMerkle(tree: MerkleTree, timestamps: Iterable<string>): MerkleTree {
  return applyMerkleUpdates(tree, merkleUpdates(timestamps));
}

/** A new tree with each node's hash XORed with its update; `tree` is left as it was. */
export function applyMerkleUpdates(tree: MerkleTree, updates: Iterable<MerkleNodeUpdate>): MerkleTree {
  const root = cloneNode(tree);
  for (const { path, hash } of updates) {
    let node = root;
    for (const digit of path as Iterable<MerkleDigit>) node = node[digit] = cloneNode(node[digit] ?? EMPTY);
    node.hash ^= hash;
  }
  return root;
}

/** A tree from stored nodes (the server keeps one row per node). */
export function merkleFromNodes(nodes: Iterable<MerkleNodeUpdate>): MerkleTree {
  return applyMerkleUpdates(emptyMerkle(), nodes);
}

/**
 * The tree with only the `keep` latest children of every node, for sending: recent history is
 * where replicas usually differ, and each node's hash still covers what was cut off.
 */
export function pruneMerkle(tree: MerkleTree, keep = 2): MerkleTree {
  const pruned: MerkleTree = { hash: tree.hash };
  for (const digit of childDigits(tree).slice(-keep)) pruned[digit] = pruneMerkle(tree[digit]!, keep);
  return pruned;
}

/**
 * The first millisecond from which `local` (complete) and `remote` (possibly pruned by
 * {@link pruneMerkle}) may hold different timestamps, or null when they hold the same ones.
 *
 * It follows the earliest differing child down. A child missing from `remote` may have been
 * pruned if it is older than remote's oldest child there; such children are compared as one
 * group (their XOR is the node's hash minus the children shown), and when the group differs
 * the answer is the start of the node, since what was pruned cannot be looked into.
 */
export function diffMerkle(local: MerkleTree, remote: MerkleTree): number | null {
  if (local.hash === remote.hash) return null;
  let mine = local;
  let theirs = remote;
  let path = '';
  while (path.length < MERKLE_DEPTH) {
    const shown = childDigits(theirs);
    // Children older than remote's oldest shown one may have been pruned from it. (An empty
    // remote subtree, hash 0, shows no children because it has none.)
    const hidden =
      theirs.hash === 0 ? [] : childDigits(mine).filter((d) => !theirs[d] && d < (shown[0] ?? '3'));
    const theirHidden = shown.reduce((hash, d) => hash ^ theirs[d]!.hash, theirs.hash);
    const myHidden = hidden.reduce((hash, d) => hash ^ mine[d]!.hash, 0);
    if (theirHidden !== myHidden) return merklePathStart(path);
    const next = DIGITS.find((d) => !hidden.includes(d) && (mine[d]?.hash ?? 0) !== (theirs[d]?.hash ?? 0));
    if (!next) return merklePathStart(path);
    path += next;
    mine = mine[next] ?? EMPTY;
    theirs = theirs[next] ?? EMPTY;
  }
  return merklePathStart(path);
}

function childDigits(node: MerkleTree): MerkleDigit[] {
  return DIGITS.filter((digit) => node[digit] !== undefined);
}

function cloneNode(node: MerkleTree): MerkleTree {
  return { ...node };
}
