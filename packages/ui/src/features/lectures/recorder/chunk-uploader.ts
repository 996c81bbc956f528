import { MAX_CHUNK_BYTES, type ErrorCode } from '@little-monster/core/contract';
import { explainError } from '../../../app/error-messages';
import { isRpcCallError } from '../../../transport/client';

export interface ChunkUploaderDeps {
  /** Stores part `seq` of the recording (`lectures.appendChunk`); rejects with the engine's error. */
  send(seq: number, bytes: Uint8Array): Promise<unknown>;
  /** Waits before trying again (a timer in the app). */
  wait(ms: number): Promise<void>;
}

export interface UploadStatus {
  /** Parts of the recording not yet on the engine's disk. */
  waitingChunks: number;
  waitingBytes: number;
  savedChunks: number;
  /** The last attempt failed and is being tried again: why, in words. */
  retrying: string | null;
  /** Saving stopped for good: why. The audio is still in this window (see `recording()`). */
  failed: string | null;
}

/** Failures that pass: the engine restarting or reconnecting, a full disk being cleared. */
const RETRYABLE: readonly ErrorCode[] = ['ENGINE_UNAVAILABLE', 'STORAGE_UNAVAILABLE', 'INTERNAL'];
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000] as const;

function expectedSeqOf(error: unknown): number | null {
  if (!isRpcCallError(error, 'CONFLICT')) return null;
  const details = error.details as { expectedSeq?: unknown } | null | undefined;
  const expected = details?.expectedSeq;
  return typeof expected === 'number' && Number.isInteger(expected) && expected >= 0 ? expected : null;
}

const isRetryable = (error: unknown) =>
  !isRpcCallError(error) || (RETRYABLE as readonly string[]).includes(error.code);

/**
 * Sends the recorder's stream to the engine as numbered parts, strictly in order and one at a
 * time, and never drops one: a part that fails because the engine is restarting is sent again
 * (same number) until it is stored; when the engine says it is missing earlier parts (CONFLICT
 * with `expectedSeq`) they are sent again from there. Every part is kept in memory until the
 * recording ends (about 14 MB an hour at 32 kbit/s), so that resend is always possible and, if
 * saving fails for good, the student can still save the audio as a file.
 */
export class ChunkUploader {
  private readonly deps: ChunkUploaderDeps;
  private readonly parts: Blob[] = [];
  /** The next part the engine has not acknowledged. */
  private next = 0;
  private open = false;
  private pumping = false;
  private attempt = 0;
  private status: UploadStatus = {
    waitingChunks: 0,
    waitingBytes: 0,
    savedChunks: 0,
    retrying: null,
    failed: null,
  };
  private readonly listeners = new Set<() => void>();
  private waiters: { resolve(): void; reject(error: Error): void }[] = [];

  constructor(deps: ChunkUploaderDeps) {
    this.deps = deps;
  }

  /** Adds what the recorder produced next; large pieces are cut to what one call may carry. */
  add(data: Blob): void {
    if (data.size === 0) return;
    for (let start = 0; start < data.size; start += MAX_CHUNK_BYTES) {
      this.parts.push(data.slice(start, Math.min(data.size, start + MAX_CHUNK_BYTES)));
    }
    this.update({});
    void this.pump();
  }

  /** The lecture exists: parts recorded so far, and all that follow, are sent. */
  start(): void {
    this.open = true;
    void this.pump();
  }

  /** Resolves once every part added so far is stored; rejects if saving has failed for good. */
  flush(): Promise<void> {
    if (this.status.failed) return Promise.reject(new Error(this.status.failed));
    if (this.open && this.next >= this.parts.length) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The whole recording so far, as the recorder made it (to save it as a file). */
  recording(type: string): Blob {
    return new Blob(this.parts, { type });
  }

  getStatus(): UploadStatus {
    return this.status;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(change: Partial<UploadStatus>) {
    let waitingBytes = 0;
    for (let seq = this.next; seq < this.parts.length; seq++) waitingBytes += this.parts[seq]!.size;
    this.status = {
      ...this.status,
      ...change,
      waitingChunks: this.parts.length - this.next,
      waitingBytes,
      savedChunks: this.next,
    };
    for (const listener of this.listeners) listener();
  }

  private settle() {
    const waiters = this.waiters;
    if (this.status.failed) {
      this.waiters = [];
      for (const waiter of waiters) waiter.reject(new Error(this.status.failed));
    } else if (this.open && this.next >= this.parts.length) {
      this.waiters = [];
      for (const waiter of waiters) waiter.resolve();
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.open || this.status.failed) return;
    this.pumping = true;
    try {
      while (this.next < this.parts.length) {
        const seq = this.next;
        try {
          const bytes = new Uint8Array(await this.parts[seq]!.arrayBuffer());
          await this.deps.send(seq, bytes);
          this.next = seq + 1;
          this.attempt = 0;
          this.update({ retrying: null });
        } catch (error) {
          const expected = expectedSeqOf(error);
          if (expected !== null && expected <= this.parts.length) {
            // The engine is missing earlier parts (or already has this one): go on from where it is.
            this.next = expected;
            this.update({});
            continue;
          }
          if (expected === null && isRetryable(error)) {
            this.update({ retrying: explainError(error).message });
            const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)]!;
            this.attempt += 1;
            await this.deps.wait(delay);
            continue;
          }
          this.update({ retrying: null, failed: explainError(error).message });
          break;
        }
      }
    } finally {
      this.pumping = false;
      this.settle();
    }
  }
}
