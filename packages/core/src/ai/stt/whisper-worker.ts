/**
 * The worker thread that owns a whisper.cpp model (WhisperTranscriber starts it), through the
 * binding this platform has (whisper-binding.ts). @napi-rs/whisper's `full()` is synchronous and
 * takes seconds per window, so it must not run on the engine's thread; a cancel terminates this
 * thread. The model stays loaded between requests: live captions transcribe one utterance after another.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../contract/errors.js';
import { planWindows, type AudioWindow } from './audio-windows.js';
import { groupWords, TranscriptGuard } from './transcript-guards.js';
import {
  TRANSCRIBER_SAMPLE_RATE as RATE,
  type TranscriptSegment,
  type TranscriptWord,
} from './transcriber.js';
import { loadWhisperBinding, type WhisperBinding, type WindowSegment } from './whisper-binding.js';
import { whisperLanguageCode } from './whisper-languages.js';
import type {
  FromWhisperWorker,
  ToWhisperWorker,
  WhisperWorkerData,
  WhisperWorkerRequest,
} from './whisper-messages.js';

/** whisper.cpp ignores input shorter than 1 s, so shorter windows get trailing silence. */
const MIN_WINDOW_SAMPLES = Math.round(1.1 * RATE);
/** The end of the previous window's text conditions the next (as whisper does within a file). */
const CARRIED_PROMPT_CHARS = 400;
/** The encoder sees 50 positions per second of audio (1500 for whisper's 30 s window). */
const AUDIO_CONTEXT_PER_SEC = 50;
/** Positions beyond the audio a shortened context keeps, so its last word is not at the edge. */
const AUDIO_CONTEXT_MARGIN = 32;

const port = parentPort!;
const post = (message: FromWhisperWorker) => port.postMessage(message);

const { binding: choice, ...options } = workerData as WhisperWorkerData;
let whisper: WhisperBinding | null = null;
// Not a top-level await: the desktop build bundles worker threads as CommonJS.
void loadWhisperBinding(choice, options).then(
  (loaded) => {
    whisper = loaded;
    post({ type: 'ready' });
  },
  (error: unknown) => post({ type: 'load-failed', message: (error as Error).message }),
);

/** Requests asked to stop: each ends before its next window. */
const cancelled = new Set<number>();

port.on('message', (message: ToWhisperWorker) => {
  if ('type' in message) {
    cancelled.add(message.id);
    return;
  }
  if (!whisper) return;
  const engine = whisper;
  transcribe(engine, message)
    .then(
      (language) => post({ type: 'done', id: message.id, language }),
      (error: unknown) =>
        post({
          type: 'failed',
          id: message.id,
          code: error instanceof AppError ? error.code : 'INTERNAL',
          message: (error as Error).message,
        }),
    )
    .finally(() => cancelled.delete(message.id));
});

async function transcribe(engine: WhisperBinding, request: WhisperWorkerRequest): Promise<string | null> {
  const { samples } = request;
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) {
      throw new AppError('INVALID_INPUT', `The audio is damaged: sample ${i} is not a number.`);
    }
  }
  let language = request.language;
  if (language !== 'auto') {
    // whisper takes codes and names ("de", "german"); the transcript always says the code.
    const code = whisperLanguageCode(language);
    if (!code) throw new AppError('INVALID_INPUT', `"${language}" is not a language the speech model knows.`);
    language = code;
  }

  const guard = new TranscriptGuard();
  const order = new TimeOrder();
  let carried = '';
  for (const window of planWindows(samples, RATE)) {
    if (cancelled.has(request.id)) throw new AppError('CANCELLED', 'Cancelled.');
    const audio = padded(samples.subarray(window.start, window.end));
    const live = request.shortAudioContext;
    const result = await engine.transcribeWindow(audio, {
      threads: request.threads,
      language,
      initialPrompt: [request.initialPrompt, carried].filter(Boolean).join(' '),
      words: request.words,
      // 0 is whisper's full context; a shorter one only when asked (it trades a little accuracy).
      audioContext: live ? shortAudioContext(engine, audio.length) : 0,
      // A live caption is one utterance: one line, and a decode bounded by how long it could be
      // spoken, so a model stuck in its temperature fallback on noise cannot hold captions up.
      singleSegment: live,
      maxTokens: live ? Math.ceil((audio.length / RATE) * LIVE_TOKENS_PER_SEC) + LIVE_TOKEN_MARGIN : 0,
    });
    if (language === 'auto') language = result.language ?? 'auto';

    const kept: TranscriptSegment[] = [];
    for (const segment of toSegments(result.segments, window, request.words)) {
      const accepted = guard.accept(segment);
      if (accepted) kept.push(order.place(accepted));
    }
    carried = kept
      .map((segment) => segment.text)
      .join(' ')
      .slice(-CARRIED_PROMPT_CHARS);
    post({ type: 'window', id: request.id, segments: kept, progress: window.end / samples.length });
  }
  return language === 'auto' ? null : language;
}

/** Speech runs at about three words (four tokens) a second; a little more leaves room. */
const LIVE_TOKENS_PER_SEC = 5;
const LIVE_TOKEN_MARGIN = 10;

function shortAudioContext(engine: WhisperBinding, samples: number): number {
  const needed = Math.ceil((samples / RATE) * AUDIO_CONTEXT_PER_SEC) + AUDIO_CONTEXT_MARGIN;
  return needed >= engine.fullAudioContext ? 0 : needed;
}

function padded(window: Float32Array): Float32Array {
  if (window.length >= MIN_WINDOW_SAMPLES) return window;
  const longer = new Float32Array(MIN_WINDOW_SAMPLES);
  longer.set(window);
  return longer;
}

/** Times from the window's start as seconds in the whole audio, inside the window. */
function toSegments(received: WindowSegment[], window: AudioWindow, words: boolean): TranscriptSegment[] {
  const from = window.start / RATE;
  const to = window.end / RATE;
  const timed = received.map((segment) => ({
    text: segment.text,
    startSec: clamp(from + segment.startSec, from, to),
    endSec: clamp(from + segment.endSec, from, to),
  }));
  if (!words) return timed;
  return groupWords(timed.filter((word) => word.text.trim() !== '') as TranscriptWord[]);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Keeps segments (and their words) in order with non-negative lengths, whatever the model says. */
class TimeOrder {
  private lastStart = 0;

  place(segment: TranscriptSegment): TranscriptSegment {
    const startSec = Math.max(segment.startSec, this.lastStart);
    const endSec = Math.max(segment.endSec, startSec);
    this.lastStart = startSec;
    if (!segment.words) return { ...segment, startSec, endSec };
    let wordStart = startSec;
    const words = segment.words.map((word) => {
      const start = clamp(word.startSec, wordStart, endSec);
      wordStart = start;
      return { text: word.text, startSec: start, endSec: clamp(word.endSec, start, endSec) };
    });
    return { ...segment, startSec, endSec, words };
  }
}
