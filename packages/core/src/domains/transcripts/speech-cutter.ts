import type { SileroVad, SpeechRegion, VadStream } from '../../ai/vad/silero-vad.js';

/** 16 kHz: what the detector and whisper take. */
const RATE = 16_000;
/** Longest utterance sent to recognition at once: whisper reads 30 s windows. */
export const MAX_UTTERANCE_SEC = 28;
/**
 * Audio kept back: an open region (speech not yet closed by a pause) is at most this long,
 * padding included, so older audio can go.
 */
const KEEP_SEC = MAX_UTTERANCE_SEC + 2;

/** Speech between two pauses, with its samples. */
export interface Utterance extends SpeechRegion {
  samples: Float32Array;
}

/**
 * Cuts a stream of audio into utterances with voice activity detection, keeping only the audio
 * an utterance still open can need (at most half a minute), so memory stays bounded however long
 * the recording. Silence never reaches recognition.
 */
export class SpeechCutter {
  private readonly vad: VadStream;
  private buffer = new Float32Array(0);
  /** Sample index (from the stream's start) of `buffer[0]`. */
  private bufferStart = 0;
  /** Where the last utterance ended: nothing before it is needed again. */
  private lastEndSec = 0;

  constructor(detector: SileroVad, options: { minSilenceSec?: number } = {}) {
    this.vad = detector.createStream({
      maxSpeechSec: MAX_UTTERANCE_SEC,
      ...(options.minSilenceSec === undefined ? {} : { minSilenceSec: options.minSilenceSec }),
    });
  }

  /** Seconds of audio pushed so far. */
  get durationSec(): number {
    return this.vad.durationSec;
  }

  async push(samples: Float32Array): Promise<Utterance[]> {
    this.append(samples);
    const regions = await this.vad.push(samples);
    const utterances = regions.map((region) => this.cut(region));
    for (const region of regions) this.lastEndSec = Math.max(this.lastEndSec, region.endSec);
    this.trim();
    return utterances;
  }

  /** The end of the audio: the speech still open is an utterance too. */
  async finish(): Promise<Utterance[]> {
    const utterances = (await this.vad.finish()).map((region) => this.cut(region));
    this.buffer = new Float32Array(0);
    return utterances;
  }

  private append(samples: Float32Array): void {
    const grown = new Float32Array(this.buffer.length + samples.length);
    grown.set(this.buffer);
    grown.set(samples, this.buffer.length);
    this.buffer = grown;
  }

  private cut(region: SpeechRegion): Utterance {
    const from = Math.max(0, Math.round(region.startSec * RATE) - this.bufferStart);
    const to = Math.max(from, Math.round(region.endSec * RATE) - this.bufferStart);
    return { ...region, samples: this.buffer.slice(from, Math.min(to, this.buffer.length)) };
  }

  /** Drops audio no region can still need. */
  private trim(): void {
    const keepFromSec = Math.max(this.lastEndSec, this.vad.durationSec - KEEP_SEC);
    const drop = Math.round(keepFromSec * RATE) - this.bufferStart;
    if (drop <= 0) return;
    this.buffer = this.buffer.slice(Math.min(drop, this.buffer.length));
    this.bufferStart += drop;
  }
}
