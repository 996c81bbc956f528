/**
 * The worker thread that owns a local voice (VoiceThread starts it): espeak-ng's WebAssembly and,
 * for a Piper voice, an onnxruntime session. Synthesis is CPU-bound, so it never runs on the
 * engine's thread; requests are answered one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../contract/errors.js';
import { EspeakNg, ESPEAK_SAMPLE_RATE } from '../espeak/espeak-ng.js';
import type { SynthesizedSpeech } from '../synthesizer.js';
import type { FromVoiceThread, ToVoiceThread, VoiceThreadSpec } from './voice-thread-messages.js';

interface LoadedVoice {
  synthesize(text: string, speed: number): Promise<SynthesizedSpeech> | SynthesizedSpeech;
  ids(text: string): number[];
}

const port = parentPort!;
const post = (message: FromVoiceThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const spec = workerData as VoiceThreadSpec;

async function load(): Promise<LoadedVoice> {
  const espeak = await EspeakNg.load();
  if (spec.kind === 'piper') {
    // onnxruntime and the voice checks are loaded only for a Piper voice.
    const { PiperVoice } = await import('../piper/piper-voice.js');
    const piper = await PiperVoice.load(spec, espeak);
    post({
      type: 'ready',
      sampleRate: piper.sampleRate,
      language: piper.config.language,
      name: piper.config.dataset,
    });
    return piper;
  }
  espeak.useVoice(spec.voice);
  post({ type: 'ready', sampleRate: ESPEAK_SAMPLE_RATE, language: spec.voice, name: null });
  return {
    synthesize(text, speed) {
      espeak.useVoice(spec.voice);
      const { samples, words } = espeak.speak(text, speed);
      return { samples, sampleRate: ESPEAK_SAMPLE_RATE, words };
    },
    ids: () => {
      throw new AppError('INVALID_INPUT', 'espeak-ng voices have no phoneme ids.');
    },
  };
}

const loading = load();
loading.catch((error: unknown) => {
  const known = error instanceof AppError;
  post({
    type: 'load-failed',
    code: known ? error.code : 'INTERNAL',
    message: (error as Error).message,
    details: known ? error.details : undefined,
  });
});

let queue: Promise<unknown> = Promise.resolve();
/** Requests cancelled while waiting their turn: a stopped reading must not hold up the next one. */
const cancelled = new Set<number>();
port.on('message', (message: ToVoiceThread) => {
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  queue = queue.then(async () => {
    if (cancelled.delete(message.id)) return;
    try {
      const voice = await loading;
      if (message.type === 'ids') {
        post({ type: 'done', id: message.id, value: voice.ids(message.text) });
        return;
      }
      const speech = await voice.synthesize(message.text, message.speed);
      post({ type: 'done', id: message.id, value: speech }, [speech.samples.buffer as ArrayBuffer]);
    } catch (error) {
      const known = error instanceof AppError;
      post({
        type: 'failed',
        id: message.id,
        code: known ? error.code : 'INTERNAL',
        message: (error as Error).message,
        details: known ? error.details : undefined,
      });
    }
  });
});
