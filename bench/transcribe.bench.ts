/**
 * File transcription wall time of our path (WhisperTranscriber: model check done once, worker
 * thread, windows, guards) against a raw @napi-rs/whisper `full()` call on the same audio
 * (jfk.wav, 11 s), the same generated base.en-shaped model (6+6 layers, width 512, F16: random
 * weights, real speed) and the same threads and decoding parameters, alternating runs in one
 * process. Both keep the model loaded, as the app does; loading is reported on its own.
 *
 * Then the live-caption case: one utterance (jfk 0.3-2.4 s, as the VAD cuts it) with the full
 * 30 s encoder context and with `shortAudioContext`; its time plus the VAD's closing pause
 * (0.5 s) is how long after the speaker pauses the caption appears (target <= 1.5 s).
 *
 * Last, the two whisper.cpp bindings (whisper-binding.ts) against each other through the same
 * WhisperTranscriber: file transcription and live-caption time, same model, audio and threads.
 *
 * BENCH_THREADS sets the threads (default 2, as on the build machines); BENCH_ROUNDS the runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeAudio, Whisper, WhisperFullParams, WhisperSamplingStrategy } from '@napi-rs/whisper';
import { makeWhisperModel, WHISPER_SHAPES } from '../scripts/fixtures/make-whisper-model.js';
import type { WhisperBindingName } from '../packages/core/src/ai/stt/whisper-binding.js';
import { WhisperTranscriber } from '../packages/core/src/ai/stt/whisper-transcriber.js';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { median, printTable } from './stats.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const audio = decodeAudio(readFileSync(fixture('audio/jfk.wav')), 'jfk.wav');
const audioSec = audio.length / 16000;

/** The parameters WhisperTranscriber's worker sets for a plain (no word timing) transcription. */
function rawParams(): WhisperFullParams {
  const params = new WhisperFullParams(WhisperSamplingStrategy.Greedy);
  params.nThreads = THREADS;
  params.language = 'en';
  params.noContext = true;
  params.suppressNonSpeechTokens = true;
  params.printProgress = false;
  params.printRealtime = false;
  params.printTimestamps = false;
  params.printSpecial = false;
  params.initialPrompt = '';
  return params;
}

const root = mkdtempSync(join(tmpdir(), 'lm-bench-transcribe-'));
try {
  const started = performance.now();
  const model = makeWhisperModel(join(root, 'base.en-shaped.bin'), WHISPER_SHAPES['base.en']);
  console.log(
    `Generated ${(model.bytes / 1e6).toFixed(0)} MB base.en-shaped model in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `threads ${THREADS}; audio ${audioSec.toFixed(1)} s`,
  );

  const seconds = async (work: () => unknown) => {
    const start = performance.now();
    await work();
    return (performance.now() - start) / 1000;
  };
  let ours: WhisperTranscriber | undefined;
  let raw: Whisper | undefined;
  const loadOurs = await seconds(async () => {
    ours = await WhisperTranscriber.load({ modelPath: model.path });
  });
  const loadRaw = await seconds(() => {
    raw = new Whisper(model.path);
  });

  const rawTimes: number[] = [];
  const ourTimes: number[] = [];
  let segments = 0;
  // One warm-up each, then alternate so drift on a shared machine hits both alike.
  raw!.full(rawParams(), audio);
  await ours!.transcribe(audio, { threads: THREADS, language: 'en' });
  for (let round = 0; round < ROUNDS; round++) {
    rawTimes.push(await seconds(() => raw!.full(rawParams(), audio)));
    ourTimes.push(
      await seconds(async () => {
        segments = (await ours!.transcribe(audio, { threads: THREADS, language: 'en' })).segments.length;
      }),
    );
  }

  const row = (what: string, samples: number[], load: number) => ({
    what,
    'median s': median(samples).toFixed(3),
    'min s': Math.min(...samples).toFixed(3),
    'x real time': (audioSec / median(samples)).toFixed(2),
    'vs raw': `${(median(samples) / median(rawTimes)).toFixed(3)}x`,
    'load s': load.toFixed(3),
  });
  printTable(
    `Transcribing jfk.wav (${audioSec.toFixed(1)} s), median of ${ROUNDS} alternating runs (target <= 1.05x)`,
    [
      row('raw @napi-rs/whisper full() (baseline)', rawTimes, loadRaw),
      row(`WhisperTranscriber.transcribe (ours; ${segments} segments)`, ourTimes, loadOurs),
    ],
  );

  const utterance = audio.slice(Math.round(0.3 * 16000), Math.round(2.4 * 16000));
  const full: number[] = [];
  const short: number[] = [];
  await ours!.transcribe(utterance, { threads: THREADS, language: 'en', shortAudioContext: true });
  for (let round = 0; round < ROUNDS; round++) {
    full.push(await seconds(() => ours!.transcribe(utterance, { threads: THREADS, language: 'en' })));
    short.push(
      await seconds(() =>
        ours!.transcribe(utterance, { threads: THREADS, language: 'en', shortAudioContext: true }),
      ),
    );
  }
  const VAD_PAUSE_SEC = 0.5;
  const live = (what: string, samples: number[]) => ({
    what,
    'median s': median(samples).toFixed(3),
    'min s': Math.min(...samples).toFixed(3),
    'caption after pause s': (median(samples) + VAD_PAUSE_SEC).toFixed(2),
  });
  printTable(
    `Live caption of a ${(utterance.length / 16000).toFixed(1)} s utterance, median of ${ROUNDS} (target <= 1.5 s after the pause)`,
    [live('full 30 s encoder context', full), live('shortAudioContext (sized to the utterance)', short)],
  );
  await ours!.close();

  // The two whisper.cpp bindings behind the same Transcriber, on the same model, audio and
  // threads, alternating: a file, and a live caption as each can do it (@fugood/whisper.node
  // always runs the full 30 s encoder window).
  const bindings: { name: WhisperBindingName; load: number; transcriber?: WhisperTranscriber }[] = [
    { name: 'napi-rs', load: 0 },
    { name: 'fugood', load: 0 },
  ];
  for (const binding of bindings) {
    binding.load = await seconds(async () => {
      binding.transcriber = await WhisperTranscriber.load({ modelPath: model.path, binding: binding.name });
    });
  }
  const file = new Map<WhisperBindingName, number[]>(bindings.map(({ name }) => [name, []]));
  const caption = new Map<WhisperBindingName, number[]>(bindings.map(({ name }) => [name, []]));
  const request = { threads: THREADS, language: 'en', shortAudioContext: true };
  for (const { transcriber } of bindings) await transcriber!.transcribe(utterance, request); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, transcriber } of bindings) {
      file.get(name)!.push(await seconds(() => transcriber!.transcribe(audio, request)));
      caption.get(name)!.push(await seconds(() => transcriber!.transcribe(utterance, request)));
    }
  }
  const napiFile = median(file.get('napi-rs')!);
  const napiCaption = median(caption.get('napi-rs')!);
  printTable(
    `The two bindings, same model, audio and ${THREADS} threads, median of ${ROUNDS} alternating runs`,
    bindings.map(({ name, load }) => ({
      binding: name === 'napi-rs' ? '@napi-rs/whisper (baseline)' : '@fugood/whisper.node',
      'file s': median(file.get(name)!).toFixed(3),
      'file vs napi-rs': `${(median(file.get(name)!) / napiFile).toFixed(2)}x`,
      'caption s': median(caption.get(name)!).toFixed(3),
      'caption vs napi-rs': `${(median(caption.get(name)!) / napiCaption).toFixed(2)}x`,
      'load s': load.toFixed(3),
    })),
  );
  for (const { transcriber } of bindings) await transcriber!.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
