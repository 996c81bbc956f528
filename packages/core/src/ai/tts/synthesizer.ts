/**
 * Text to speech, one sentence at a time (text preparation and streaming happen around it, in
 * `speak-text.ts`). Local voices (Piper, espeak-ng) synthesise on a worker thread; Azure Speech
 * is a cloud service the student configured.
 */
export type VoiceEngine = 'piper' | 'espeak' | 'azure';

export interface VoiceInfo {
  /** "espeak:en-us", "piper:<model id>", "azure:<voice name>". */
  id: string;
  engine: VoiceEngine;
  /** Shown to the student. */
  label: string;
  /** The language the voice speaks, lower-case BCP 47 ("en-us", "en-gb", "fr"). */
  language: string;
  /** Samples per second of the audio it makes. */
  sampleRate: number;
  /** Sends the text over the internet (only once the student configured a cloud service). */
  cloud: boolean;
  /** Gives each word's timing, so the word being spoken can be highlighted. */
  wordTimings: boolean;
}

/** A word of the sentence (UTF-16 offsets into it) and when it is spoken. */
export interface SpokenWord {
  start: number;
  end: number;
  startSec: number;
  endSec: number;
}

export interface SynthesizedSpeech {
  /** Mono samples in [-1, 1] at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** Null when the engine gives no word timings. */
  words: SpokenWord[] | null;
}

/** Speaking rates a student can choose: half to twice the voice's normal speed. */
export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2;

export interface SynthesizeOptions {
  /** 1 is the voice's normal speed; the pitch stays the same. */
  speed?: number;
  /** Aborting rejects with AppError('CANCELLED'). */
  signal?: AbortSignal;
}

export interface Synthesizer {
  readonly voice: VoiceInfo;
  /**
   * Speech for one sentence of prepared text (see `prepareSpeech`). Calls queue; rejects with
   * AppError: INVALID_INPUT (nothing the voice can say), MODEL_NOT_INSTALLED (a missing or
   * damaged voice), UNAUTHORIZED / ENGINE_UNAVAILABLE (cloud), CANCELLED, INTERNAL.
   */
  synthesize(sentence: string, options?: SynthesizeOptions): Promise<SynthesizedSpeech>;
  /** Frees the engine; a later call starts it again. */
  close(): Promise<void>;
}
