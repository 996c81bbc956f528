import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../../scripts/fixtures/make-whisper-model.js';
import { AppError } from '../../contract/index.js';
import { tempDir } from '../../test-support/temp-core.js';
import { concat, JFK_WAV, readWav, silence, whiteNoise } from '../vad/test-support/speech-audio.js';
import type { Transcript, TranscriptSegment } from './transcriber.js';
import { WhisperTranscriber } from './whisper-transcriber.js';

const options = { threads: 1 };

function expectWellFormed(transcript: Transcript, durationSec: number): void {
  expect(transcript.durationSec).toBeCloseTo(durationSec, 5);
  let previousStart = 0;
  for (const segment of transcript.segments) {
    expect(segment.text.trim()).not.toBe('');
    expect(segment.startSec).toBeGreaterThanOrEqual(previousStart);
    expect(segment.endSec).toBeGreaterThanOrEqual(segment.startSec);
    expect(segment.endSec).toBeLessThanOrEqual(durationSec);
    previousStart = segment.startSec;
  }
}

async function errorOf(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

// Every binding a platform may use runs the same tests (both have a build for Linux x64).
describe.each(['napi-rs', 'fugood'] as const)('with %s', (binding) => {
  // A generated 1+1-layer model runs the real whisper.cpp; its text is gibberish, so no test reads words.
  let dir: ReturnType<typeof tempDir>;
  let modelPath: string;
  let transcriber: WhisperTranscriber;
  let jfk: Float32Array;

  beforeAll(async () => {
    dir = tempDir('lm-whisper-');
    modelPath = makeWhisperModel(join(dir.path, 'tiny.bin'), WHISPER_SHAPES.tiny).path;
    transcriber = await WhisperTranscriber.load({ modelPath, modelId: 'test-tiny', binding });
    jfk = readWav(JFK_WAV);
  });
  afterAll(async () => {
    await transcriber?.close();
    dir?.remove();
  });

  describe('WhisperTranscriber on a generated model', () => {
    it('is generated as the same file, byte for byte, from the same seed', () => {
      const again = makeWhisperModel(join(dir.path, 'again.bin'), WHISPER_SHAPES.tiny);
      expect(readFileSync(again.path).equals(readFileSync(modelPath))).toBe(true);
    });

    it('transcribes speech into segments in order, inside the audio, with progress', async () => {
      const progress: number[] = [];
      const streamed: TranscriptSegment[] = [];
      const transcript = await transcriber.transcribe(jfk, {
        ...options,
        onProgress: (fraction) => progress.push(fraction),
        onSegment: (segment) => streamed.push(segment),
      });
      expect(transcript.segments.length).toBeGreaterThan(0);
      expectWellFormed(transcript, jfk.length / 16000);
      expect(transcript.language).toBe('en'); // an English-only model
      expect(streamed).toEqual(transcript.segments);
      expect(progress.at(-1)).toBe(1);
    });

    it('asked for the graphics card where none works (here), transcribes on the processor all the same', async () => {
      // Both freshly loaded: random weights make whisper fall back to sampling, whose random
      // state a model that already transcribed has moved on.
      const onGpu = await WhisperTranscriber.load({ modelPath, modelId: 'test-tiny', binding, useGpu: true });
      const onCpu = await WhisperTranscriber.load({
        modelPath,
        modelId: 'test-tiny',
        binding,
        useGpu: false,
      });
      try {
        const [gpu, cpu] = [await onGpu.transcribe(jfk, options), await onCpu.transcribe(jfk, options)];
        expect(gpu.segments.length).toBeGreaterThan(0);
        expect(gpu).toEqual(cpu);
      } finally {
        await Promise.all([onGpu.close(), onCpu.close()]);
      }
    });

    it('transcribes long audio window by window: rising progress, times across the whole recording', async () => {
      const { samples } = concat([jfk, silence(2), jfk, silence(2), jfk]);
      const progress: number[] = [];
      const transcript = await transcriber.transcribe(samples, {
        ...options,
        onProgress: (fraction) => progress.push(fraction),
      });
      const durationSec = samples.length / 16000;
      expectWellFormed(transcript, durationSec);
      expect(progress.length).toBeGreaterThan(1);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(progress.at(-1)).toBe(1);
      // The first window ends in the silence before the third copy (25-26 s): later text is from the next one.
      expect(transcript.segments.at(-1)!.startSec).toBeGreaterThan(25);
    });

    it('times each word inside its segment when asked', async () => {
      const transcript = await transcriber.transcribe(jfk, { ...options, wordTimestamps: true });
      expectWellFormed(transcript, jfk.length / 16000);
      expect(transcript.segments.length).toBeGreaterThan(0);
      for (const segment of transcript.segments) {
        expect(segment.words!.length).toBeGreaterThan(0);
        expect(segment.words!.map((word) => word.text).join(' ')).toBe(segment.text);
        let previous = segment.startSec;
        for (const word of segment.words!) {
          expect(word.startSec).toBeGreaterThanOrEqual(previous);
          expect(word.endSec).toBeGreaterThanOrEqual(word.startSec);
          expect(word.endSec).toBeLessThanOrEqual(segment.endSec);
          previous = word.startSec;
        }
      }
    });

    it('takes an initial prompt, and audio shorter than whisper’s one-second minimum', async () => {
      const short = jfk.slice(16000, 16000 + 4800); // 0.3 s
      const transcript = await transcriber.transcribe(short, {
        ...options,
        initialPrompt: 'Mitochondria, ATP synthase, Krebs cycle.\0',
      });
      expectWellFormed(transcript, 0.3);
    });

    it('transcribes an utterance with the encoder context sized to it (live captions)', async () => {
      const utterance = jfk.slice(Math.round(0.3 * 16000), Math.round(2.4 * 16000));
      const transcript = await transcriber.transcribe(utterance, { ...options, shortAudioContext: true });
      expectWellFormed(transcript, 2.1);
    });

    it('returns nothing for no audio at all', async () => {
      expect(await transcriber.transcribe(new Float32Array(0), options)).toEqual({
        segments: [],
        language: 'en',
        durationSec: 0,
      });
    });

    it('runs calls one after another, each with its own result', async () => {
      const [a, b] = await Promise.all([
        transcriber.transcribe(jfk, options),
        transcriber.transcribe(jfk.subarray(0, 5 * 16000), options),
      ]);
      expectWellFormed(a, 11);
      expectWellFormed(b, 5);
    });

    it('does not modify the samples it is given', async () => {
      const samples = jfk.slice(0, 2 * 16000);
      const copy = samples.slice();
      await transcriber.transcribe(samples.subarray(0, 16000), options);
      expect(samples).toEqual(copy);
    });
  });

  describe('WhisperTranscriber cancel', () => {
    it('stops with CANCELLED mid-transcription, and the next call works on a fresh thread', async () => {
      const { samples } = concat([jfk, jfk, jfk, jfk, jfk, jfk]); // 66 s: three windows
      const controller = new AbortController();
      const progress: number[] = [];
      const error = await errorOf(
        transcriber.transcribe(samples, {
          ...options,
          signal: controller.signal,
          onProgress: (fraction) => {
            progress.push(fraction);
            controller.abort();
          },
        }),
      );
      expect(error.code).toBe('CANCELLED');
      expect(progress).toHaveLength(1); // nothing reported after the cancel
      expectWellFormed(await transcriber.transcribe(jfk, options), 11);
    });

    it('stops with CANCELLED at once when the signal has already aborted, or aborts while queued', async () => {
      expect(
        (await errorOf(transcriber.transcribe(jfk, { ...options, signal: AbortSignal.abort() }))).code,
      ).toBe('CANCELLED');
      const controller = new AbortController();
      const first = transcriber.transcribe(jfk, options);
      const queued = transcriber.transcribe(jfk, { ...options, signal: controller.signal });
      controller.abort();
      expect((await errorOf(queued)).code).toBe('CANCELLED');
      expectWellFormed(await first, 11);
    });

    it('stops, and passes the error on, when a progress callback throws', async () => {
      const error = await transcriber
        .transcribe(jfk, {
          ...options,
          onProgress: () => {
            throw new Error('the UI went away');
          },
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ message: 'the UI went away' });
      expectWellFormed(await transcriber.transcribe(jfk.subarray(0, 16000), options), 1);
    });

    it('starts again after close', async () => {
      const other = await WhisperTranscriber.load({ modelPath, binding });
      await other.close();
      expectWellFormed(await other.transcribe(jfk.subarray(0, 16000 * 2), options), 2);
      await other.close();
    });
  });

  describe('WhisperTranscriber errors a student can meet', () => {
    it('says the model is not installed when its file is missing', async () => {
      const missing = new WhisperTranscriber({
        modelPath: join(dir.path, 'nope.bin'),
        modelId: 'base.en',
        binding,
      });
      const error = await errorOf(missing.transcribe(jfk, options));
      expect(error.code).toBe('MODEL_NOT_INSTALLED');
      expect(error.message).toMatch(/"base.en" is not installed.*Settings > Models/s);
      expect(error.details).toMatchObject({ problem: 'missing' });
    });

    it('says the file is damaged when a download was cut short, without crashing', async () => {
      const path = join(dir.path, 'truncated.bin');
      const whole = readFileSync(modelPath);
      writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
      const error = await errorOf(WhisperTranscriber.load({ modelPath: path, binding }));
      expect(error.code).toBe('MODEL_NOT_INSTALLED');
      expect(error.message).toMatch(/damaged.*Download it again/s);
      expect(error.details).toMatchObject({ problem: 'damaged' });
    });

    it('says the file is damaged when it is random bytes, with or without the right magic', async () => {
      const random = Buffer.from(whiteNoise(0.5, 0.5, 3).buffer);
      for (const [name, bytes] of [
        ['random.bin', random],
        ['magic.bin', Buffer.concat([readFileSync(modelPath).subarray(0, 4), random])],
      ] as const) {
        const path = join(dir.path, name);
        writeFileSync(path, bytes);
        const error = await errorOf(
          new WhisperTranscriber({ modelPath: path, binding }).transcribe(jfk, options),
        );
        expect(error.code, name).toBe('MODEL_NOT_INSTALLED');
        expect(error.details, name).toMatchObject({ problem: 'damaged' });
      }
      // The process is unharmed: the good model still works.
      expectWellFormed(await transcriber.transcribe(jfk.subarray(0, 16000), options), 1);
    });

    it('refuses bad input with INVALID_INPUT', async () => {
      const cases: [Float32Array, object][] = [
        [new Int16Array(16000) as unknown as Float32Array, options],
        [jfk, { threads: 0 }],
        [jfk, { threads: 1.5 }],
        [jfk, { threads: 1, language: 'en-US!' }],
        [jfk, { threads: 1, language: 'fr' }], // an English-only model
        [Float32Array.of(0, Number.NaN, 0), options],
      ];
      for (const [samples, callOptions] of cases) {
        const error = await errorOf(transcriber.transcribe(samples, callOptions as typeof options));
        expect(error.code, JSON.stringify(callOptions)).toBe('INVALID_INPUT');
      }
    });
  });

  describe('WhisperTranscriber with a multilingual model', () => {
    let multilingual: WhisperTranscriber;
    beforeAll(async () => {
      const shape = { ...WHISPER_SHAPES.tiny, vocabularySize: 51865 };
      const path = makeWhisperModel(join(dir.path, 'multilingual.bin'), shape, 5).path;
      multilingual = await WhisperTranscriber.load({ modelPath: path, binding });
    });
    afterAll(() => multilingual?.close());

    it('detects the language when asked for auto, and uses the one given otherwise', async () => {
      const auto = await multilingual.transcribe(jfk, { ...options, language: 'auto' });
      expect(auto.language).toMatch(/^[a-z]{2,3}$/);
      expectWellFormed(auto, 11);
      expect((await multilingual.transcribe(jfk, { ...options, language: 'FR' })).language).toBe('fr');
      expect((await multilingual.transcribe(jfk, { ...options, language: 'german' })).language).toBe('de');
    });

    it('refuses a language it does not know', async () => {
      const error = await errorOf(multilingual.transcribe(jfk, { ...options, language: 'klingon' }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/klingon/);
    });
  });
});
