import { bytesToBase64 } from './base64';
import { int16LittleEndian } from './downsampler';
import type { LiveBlock } from './live-blocks';
import { isRpcCallError } from '../../../transport/client';

/** At most this much audio waits for the engine (20 half-second blocks); older waiting audio is let go. */
const MAX_WAITING_BLOCKS = 20;

export interface CaptionSenderDeps {
  /** `transcripts.liveAudio`. */
  send(input: { startMs: number; pcm: string }): Promise<unknown>;
  /** Live captions cannot go on (no speech model, or the lecture is gone): why, in words. */
  onProblem(problem: string): void;
}

/**
 * Sends the live-caption audio in order, one block at a time. Captions are a courtesy: the
 * recording itself goes through ChunkUploader and can be transcribed in full afterwards, so a
 * block that cannot be sent (the engine is restarting) is let go rather than delaying the rest.
 */
export class CaptionSender {
  private readonly deps: CaptionSenderDeps;
  private waiting: LiveBlock[] = [];
  private open = false;
  private sending = false;
  private ended = false;

  constructor(deps: CaptionSenderDeps) {
    this.deps = deps;
  }

  add(block: LiveBlock): void {
    if (this.ended) return;
    this.waiting.push(block);
    if (this.waiting.length > MAX_WAITING_BLOCKS)
      this.waiting.splice(0, this.waiting.length - MAX_WAITING_BLOCKS);
    void this.pump();
  }

  /** The lecture exists: blocks can go. */
  start(): void {
    this.open = true;
    void this.pump();
  }

  /** No more blocks will be sent (those already waiting still go). */
  end(): void {
    this.ended = true;
  }

  private async pump(): Promise<void> {
    if (this.sending || !this.open) return;
    this.sending = true;
    try {
      for (let block = this.waiting.shift(); block; block = this.waiting.shift()) {
        try {
          await this.deps.send({
            startMs: block.startMs,
            pcm: bytesToBase64(int16LittleEndian(block.samples)),
          });
        } catch (error) {
          // The engine restarting passes; anything else (no speech model, the lecture deleted) would
          // refuse every later block too.
          if (isRpcCallError(error) && error.code !== 'ENGINE_UNAVAILABLE' && error.code !== 'INTERNAL') {
            this.ended = true;
            this.waiting = [];
            this.deps.onProblem(error.message);
          }
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
