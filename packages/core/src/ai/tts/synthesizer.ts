/**
 * Text to speech, one sentence at a time (text preparation and streaming happen around it, in
 * `speak-text.ts`). Local voices (Piper, espeak-ng) synthesise on a worker thread; Azure Speech
 * is a cloud service the student configured.
 */
import { AppError, MAX_READING_SPEED, MIN_READING_SPEED, type VoiceEngine } from '../../contract/index.js';

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

/** Longer input is not one sentence: prepare it with `prepareSpeech` and stream it with `speakText`. */
export const MAX_SYNTHESIS_CHARS = 2000;

/** Checks what every engine is given; returns the speed to use. */
export function checkSynthesisInput(sentence: string, options: SynthesizeOptions): number {
  if (typeof sentence !== 'string' || sentence.trim() === '') {
    throw new AppError('INVALID_INPUT', 'There is nothing to read aloud: the text is empty.');
  }
  if (sentence.length > MAX_SYNTHESIS_CHARS) {
    throw new AppError(
      'INVALID_INPUT',
      `A sentence to synthesise can have at most ${MAX_SYNTHESIS_CHARS} characters; longer text is read sentence by sentence.`,
    );
  }
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed < MIN_READING_SPEED || speed > MAX_READING_SPEED) {
    throw new AppError(
      'INVALID_INPUT',
      `The reading speed must be from ${MIN_READING_SPEED}x to ${MAX_READING_SPEED}x.`,
    );
  }
  return speed;
}
