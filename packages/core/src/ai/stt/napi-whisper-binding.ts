import { Whisper, WhisperFullParams, WhisperSamplingStrategy, type Segment } from '@napi-rs/whisper';
import type { WhisperBinding, WhisperBindingOptions, WindowParams, WindowResult } from './whisper-binding.js';

/** whisper.cpp through @napi-rs/whisper: `full()` is synchronous, so it runs in the worker thread. */
export class NapiWhisperBinding implements WhisperBinding {
  readonly name = 'napi-rs';

  private constructor(private readonly whisper: Whisper) {}

  static load({ modelPath, useGpu }: WhisperBindingOptions): NapiWhisperBinding {
    return new NapiWhisperBinding(new Whisper(modelPath, { useGpu }));
  }

  get fullAudioContext(): number {
    return this.whisper.modelNAudioCtx;
  }

  async transcribeWindow(audio: Float32Array, request: WindowParams): Promise<WindowResult> {
    const params = new WhisperFullParams(WhisperSamplingStrategy.Greedy);
    params.nThreads = request.threads;
    params.noContext = true; // context is passed explicitly, never left over from another request
    params.suppressNonSpeechTokens = true;
    params.printProgress = false;
    params.printRealtime = false;
    params.printTimestamps = false;
    params.printSpecial = false;
    if (request.words) {
      // whisper.cpp's way to time words: one-word segments with token timestamps.
      params.tokenTimestamps = true;
      params.maxLen = 1;
      params.splitOnWord = true;
    }
    params.language = request.language;
    params.initialPrompt = request.initialPrompt;
    params.audioCtx = request.audioContext;
    params.singleSegment = request.singleSegment;
    params.maxTokens = request.maxTokens;
    const received: Segment[] = [];
    params.onNewSegment = (segment) => received.push(segment);
    const text = this.whisper.full(params, audio);
    await segmentsDelivered(received, text);
    return {
      // whisper's times are centiseconds from the window's start.
      segments: received.map((segment) => ({
        text: segment.text,
        startSec: segment.start / 100,
        endSec: segment.end / 100,
      })),
      language: Whisper.lang(this.whisper.fullLangId) ?? null,
    };
  }
}

/**
 * The binding hands segments over through callbacks that run on later ticks, after `full()`
 * returned; `full()`'s own result is their texts joined, which tells when all have arrived.
 */
async function segmentsDelivered(received: Segment[], fullText: string): Promise<void> {
  const expected = fullText.replace(/\s+/g, '');
  for (let turn = 0; turn < 1000; turn++) {
    if (
      received
        .map((segment) => segment.text)
        .join('')
        .replace(/\s+/g, '') === expected
    )
      return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
