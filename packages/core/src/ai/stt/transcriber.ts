/**
 * Speech to text. Input is always 16 kHz mono Float32 samples (decoding files and resampling
 * happen before); output is timed text a lecture view can follow and a search hit can seek to.
 */
export const TRANSCRIBER_SAMPLE_RATE = 16000;

export interface TranscriptWord {
  startSec: number;
  endSec: number;
  text: string;
}

export interface TranscriptSegment {
  /** Seconds from the first sample given; segments come in order and lie inside the audio. */
  startSec: number;
  endSec: number;
  text: string;
  /** Each word with its own times, when `wordTimestamps` was asked for. */
  words?: TranscriptWord[];
}

export interface Transcript {
  segments: TranscriptSegment[];
  /**
   * The language spoken (ISO 639-1, e.g. "en"): as chosen, or as detected for 'auto'; null when
   * there was no audio to detect it from.
   */
  language: string | null;
  durationSec: number;
}

export interface TranscribeOptions {
  /** CPU threads; always explicit (a library default oversubscribes small machines). */
  threads: number;
  /** 'auto' (default) detects it; otherwise a language code such as "en" or "fr". */
  language?: string;
  /**
   * Text the speech is likely to resemble: the class's names and terms, or the end of the
   * previous utterance for live captions. It steers spelling; it is not transcribed.
   */
  initialPrompt?: string;
  /** Also time each word (costs a little more). */
  wordTimestamps?: boolean;
  /**
   * For short audio (live captions): run the encoder over the audio given instead of a whole
   * 30 s window. Several times faster for an utterance of a few seconds, a little less accurate;
   * file transcription leaves it off.
   */
  shortAudioContext?: boolean;
  /** Aborting rejects with AppError('CANCELLED') and stops the work. */
  signal?: AbortSignal;
  /** Share of the audio done, 0..1, rising, ending with 1. */
  onProgress?: (fraction: number) => void;
  /** Each segment as soon as it is final, in order (the same ones the result lists). */
  onSegment?: (segment: TranscriptSegment) => void;
}

export interface Transcriber {
  /**
   * Transcribes `samples` (16 kHz mono). Calls queue: one runs at a time. Rejects with
   * AppError: MODEL_NOT_INSTALLED (missing or damaged model file), INVALID_INPUT (bad samples or
   * options), CANCELLED, or INTERNAL if the engine dies.
   */
  transcribe(samples: Float32Array, options: TranscribeOptions): Promise<Transcript>;
  /** Frees the engine; a later call starts it again. */
  close(): Promise<void>;
}
