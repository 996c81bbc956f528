/** Messages between a VoiceThread and its worker (voice-thread-worker.ts). */
import type { ErrorCode } from '../../../contract/errors.js';
import type { SynthesizedSpeech } from '../synthesizer.js';

/** What the thread loads: a Piper voice file, or an espeak-ng voice by name. */
export type VoiceThreadSpec =
  | { kind: 'piper'; modelPath: string; configPath?: string; threads: number; speaker?: number }
  | { kind: 'espeak'; voice: string };

export type ToVoiceThread =
  | { type: 'synthesize'; id: number; text: string; speed: number }
  /** The phoneme ids of a Piper voice for `text` (for benchmarks against a bare session). */
  | { type: 'ids'; id: number; text: string }
  /** The caller no longer wants request `id`: skip it if it has not started. */
  | { type: 'cancel'; id: number };

export type FromVoiceThread =
  | { type: 'ready'; sampleRate: number; language: string; name: string | null }
  | { type: 'load-failed'; code: ErrorCode; message: string; details?: unknown }
  | { type: 'done'; id: number; value: SynthesizedSpeech | number[] }
  | { type: 'failed'; id: number; code: ErrorCode; message: string; details?: unknown };
