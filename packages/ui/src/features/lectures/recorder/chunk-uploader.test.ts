import { describe, expect, it, vi } from 'vitest';
import { MAX_CHUNK_BYTES } from '@little-monster/core/contract';
import { RpcCallError } from '../../../transport/client';
import { ChunkUploader } from './chunk-uploader';

/**
 * The engine's side of `lectures.appendChunk` as the contract describes it: parts in order,
 * a part sent again acknowledged once, a part that skips one refused with CONFLICT.
 */
function fakeEngine() {
  const stored: number[][] = [];
  const attempts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const engine = {
    stored,
    attempts,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Answers the next calls with these errors before storing again. */
    failures: [] as RpcCallError[],
    /** Called before each answer: lets a test hold the engine. */
    gate: null as Promise<void> | null,
    async send(seq: number, bytes: Uint8Array) {
      attempts.push(seq);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await Promise.resolve();
        if (engine.gate) await engine.gate;
        const failure = engine.failures.shift();
        if (failure) throw failure;
        if (seq < stored.length) return;
        if (seq > stored.length) {
          throw new RpcCallError({
            code: 'CONFLICT',
            message: `Part ${seq} arrived before part ${stored.length}.`,
            details: { expectedSeq: stored.length },
          });
        }
        stored.push([...bytes]);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return engine;
}

const part = (...bytes: number[]) => new Blob([Uint8Array.from(bytes)]);
const unavailable = () =>
  new RpcCallError({ code: 'ENGINE_UNAVAILABLE', message: 'The engine is not reachable.' });
const noWait = () => Promise.resolve();

describe('ChunkUploader', () => {
  it('sends parts in order, one at a time, and holds those recorded before the lecture exists', async () => {
    const engine = fakeEngine();
    const uploader = new ChunkUploader({ send: engine.send, wait: noWait });
    uploader.add(part(1));
    uploader.add(part(2));
    await Promise.resolve();
    expect(engine.attempts).toEqual([]);
    uploader.start();
    uploader.add(part(3));
    await uploader.flush();
    uploader.add(part(4));
    await uploader.flush();
    expect(engine.stored).toEqual([[1], [2], [3], [4]]);
    expect(engine.maxInFlight).toBe(1);
    expect(uploader.getStatus()).toMatchObject({ waitingChunks: 0, savedChunks: 4, failed: null });
  });

  it('sends the same part again after the engine was unreachable, and loses nothing', async () => {
    const engine = fakeEngine();
    const waits: number[] = [];
    const uploader = new ChunkUploader({
      send: engine.send,
      wait: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    uploader.start();
    uploader.add(part(1));
    await uploader.flush();
    engine.failures.push(unavailable(), unavailable(), unavailable());
    const statuses: (string | null)[] = [];
    uploader.subscribe(() => statuses.push(uploader.getStatus().retrying));
    uploader.add(part(2));
    uploader.add(part(3));
    await uploader.flush();
    expect(engine.stored).toEqual([[1], [2], [3]]);
    expect(engine.attempts).toEqual([0, 1, 1, 1, 1, 2]);
    // Waits grow between attempts.
    expect(waits).toEqual([250, 500, 1000]);
    expect(statuses).toContain('The engine is not reachable.');
    expect(uploader.getStatus().retrying).toBeNull();
  });

  it('sends again from the part the engine expects when it answers CONFLICT', async () => {
    const engine = fakeEngine();
    const uploader = new ChunkUploader({ send: engine.send, wait: noWait });
    uploader.start();
    for (const byte of [1, 2, 3]) uploader.add(part(byte));
    await uploader.flush();
    // The engine restarted and kept only the first part (the others were never on its disk).
    engine.stored.splice(1);
    uploader.add(part(4));
    await uploader.flush();
    expect(engine.stored).toEqual([[1], [2], [3], [4]]);
    expect(engine.attempts.slice(3)).toEqual([3, 1, 2, 3]);
  });

  it('flush waits for the part in flight and everything queued behind it', async () => {
    const engine = fakeEngine();
    let release!: () => void;
    engine.gate = new Promise((resolve) => (release = resolve));
    const uploader = new ChunkUploader({ send: engine.send, wait: noWait });
    uploader.start();
    uploader.add(part(1));
    uploader.add(part(2));
    let flushed = false;
    const flushing = uploader.flush().then(() => (flushed = true));
    // The first part reached the engine, which holds its answer.
    await vi.waitFor(() => expect(engine.attempts).toEqual([0]));
    expect(flushed).toBe(false);
    expect(uploader.getStatus().waitingChunks).toBe(2);
    release();
    engine.gate = null;
    await flushing;
    expect(engine.stored).toEqual([[1], [2]]);
  });

  it('stops for good on an error that a retry cannot fix, keeping the audio to save as a file', async () => {
    const engine = fakeEngine();
    const uploader = new ChunkUploader({ send: engine.send, wait: noWait });
    uploader.start();
    uploader.add(part(1));
    await uploader.flush();
    engine.failures.push(new RpcCallError({ code: 'NOT_FOUND', message: 'That lecture no longer exists.' }));
    uploader.add(part(2));
    await expect(uploader.flush()).rejects.toThrow('That lecture no longer exists.');
    expect(uploader.getStatus().failed).toBe('That lecture no longer exists.');
    const saved = uploader.recording('audio/webm');
    expect([...new Uint8Array(await saved.arrayBuffer())]).toEqual([1, 2]);
    expect(saved.type).toBe('audio/webm');
  });

  it('cuts a piece larger than one call may carry into numbered parts', async () => {
    const engine = fakeEngine();
    const uploader = new ChunkUploader({ send: engine.send, wait: noWait });
    uploader.start();
    const big = new Uint8Array(MAX_CHUNK_BYTES * 2 + 10).map((_, i) => i % 251);
    uploader.add(new Blob([big]));
    await uploader.flush();
    expect(engine.stored.map((stored) => stored.length)).toEqual([MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, 10]);
    expect(engine.stored.flat()).toEqual([...big]);
  });
});
