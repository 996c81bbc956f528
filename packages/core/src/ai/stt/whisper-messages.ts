/** Messages between WhisperTranscriber and its worker thread. */
import type { ErrorCode } from '../../contract/errors.js';
import type { TranscriptSegment } from './transcriber.js';
import type { WhisperBindingName, WhisperBindingOptions } from './whisper-binding.js';

/** What the thread is started with. */
export interface WhisperWorkerData extends WhisperBindingOptions {
  binding: WhisperBindingName | 'auto';
}

export interface WhisperWorkerRequest {
  id: number;
  samples: Float32Array;
  /** 'auto' or a language code. */
  language: string;
  initialPrompt: string;
  threads: number;
  words: boolean;
  /** Encoder context sized to each window's audio instead of whisper's full 30 s. */
  shortAudioContext: boolean;
}

/** Stop request `id` before its next window (the thread is terminated once out of whisper.cpp). */
export interface WhisperWorkerCancel {
  type: 'cancel';
  id: number;
}

export type ToWhisperWorker = WhisperWorkerRequest | WhisperWorkerCancel;

export type FromWhisperWorker =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  /** One window done: its final segments and the share of the audio done so far. */
  | { type: 'window'; id: number; segments: TranscriptSegment[]; progress: number }
  | { type: 'done'; id: number; language: string | null }
  | { type: 'failed'; id: number; code: ErrorCode; message: string };
