import { Downsampler, SPEECH_SAMPLE_RATE, toInt16 } from './downsampler';

/** Live captions get the microphone in half-second pieces: small enough to keep up, few enough calls. */
export const LIVE_BLOCK_MS = 500;
const BLOCK_SAMPLES = (SPEECH_SAMPLE_RATE * LIVE_BLOCK_MS) / 1000;

/** A piece of 16 kHz audio and where it starts in the recording (paused time excluded). */
export interface LiveBlock {
  startMs: number;
  samples: Int16Array;
}

/**
 * Turns the microphone's batches (mono floats at the audio device's rate) into 16 kHz 16-bit
 * blocks of half a second, each stamped with its place in the recording. The place counts the
 * samples sent so far, which track the recording exactly because both stop while paused.
 */
export class LiveBlocks {
  private readonly downsampler: Downsampler;
  private pending: Float32Array[] = [];
  private pendingLength = 0;
  private sentSamples = 0;
  /** Where the first sample falls in the recording (the recorder may have started a moment earlier). */
  private readonly offsetMs: number;

  constructor(inputRate: number, offsetMs = 0) {
    this.downsampler = new Downsampler(inputRate);
    this.offsetMs = offsetMs;
  }

  /** Takes a batch; returns the blocks it completes. */
  push(batch: Float32Array): LiveBlock[] {
    const converted = this.downsampler.push(batch);
    if (converted.length > 0) {
      this.pending.push(converted);
      this.pendingLength += converted.length;
    }
    const blocks: LiveBlock[] = [];
    while (this.pendingLength >= BLOCK_SAMPLES) blocks.push(this.take(BLOCK_SAMPLES));
    return blocks;
  }

  /** What is left, as a shorter block (at a pause or the end), or null. */
  flush(): LiveBlock | null {
    return this.pendingLength > 0 ? this.take(this.pendingLength) : null;
  }

  private take(count: number): LiveBlock {
    const all = new Float32Array(this.pendingLength);
    let at = 0;
    for (const piece of this.pending) {
      all.set(piece, at);
      at += piece.length;
    }
    const block: LiveBlock = {
      startMs: Math.round(this.offsetMs + (this.sentSamples * 1000) / SPEECH_SAMPLE_RATE),
      samples: toInt16(all.subarray(0, count)),
    };
    this.sentSamples += count;
    const rest = all.slice(count);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    return block;
  }
}
