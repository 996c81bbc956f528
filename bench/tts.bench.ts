/**
 * Read-aloud speed. A generated Piper "medium"-shaped voice (piper_train's default network:
 * hidden 192, 6 encoder layers, flow, 256-wide HiFi-GAN decoder upsampling 8x8x4; random
 * weights, real speed) on onnxruntime-node:
 *
 * - our path (PiperSynthesizer: espeak-ng phonemes, worker thread, loudness normalisation)
 *   against a bare onnxruntime session in this thread on the same phoneme ids, model and
 *   threads, alternating runs (target <= 1.1x);
 * - first audio: from "Read aloud" on a tutor answer (text preparation on its warm thread, then
 *   the first sentence) to its audio, voice loaded (target <= 400 ms on 2 threads);
 * - real-time factor (synthesis time / audio time) of the Piper-shaped voice and of espeak-ng.
 *
 * BENCH_THREADS sets the threads (default 2, as on the build machines); BENCH_ROUNDS the runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { makePiperVoice, PIPER_SHAPES } from '../scripts/fixtures/make-piper-voice.js';
import { EspeakSynthesizer } from '../packages/core/src/ai/tts/espeak/espeak-synthesizer.js';
import { PiperSynthesizer } from '../packages/core/src/ai/tts/piper/piper-synthesizer.js';
import { speakText } from '../packages/core/src/ai/tts/speak-text.js';
import type { Synthesizer } from '../packages/core/src/ai/tts/synthesizer.js';
import { SpeechPreparer } from '../packages/core/src/ai/tts/text/speech-preparer.js';
import { median, printTable } from './stats.js';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const SENTENCE = 'Mitochondria convert the energy in food into a form the cell can use.';
const ANSWER = [
  'Mitochondria make most of the energy that a cell uses to live and grow [1].',
  'They turn glucose and oxygen into ATP, water and carbon dioxide, a process called **cellular respiration**.',
  'Cells that need a lot of energy, such as muscle cells, have thousands of them [2].',
].join(' ');

const seconds = async (work: () => unknown) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

const root = mkdtempSync(join(tmpdir(), 'lm-bench-tts-'));
const preparer = new SpeechPreparer();
try {
  let started = performance.now();
  const voice = makePiperVoice({ dir: root, name: 'en_US-bench-medium', shape: PIPER_SHAPES.medium });
  console.log(
    `Generated a ${(voice.bytes / 1e6).toFixed(0)} MB Piper-medium-shaped voice in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `threads ${THREADS}; rounds ${ROUNDS}`,
  );

  let ours: PiperSynthesizer | undefined;
  let raw: ort.InferenceSession | undefined;
  const loadOurs = await seconds(async () => {
    ours = await PiperSynthesizer.load({ modelPath: voice.modelPath, threads: THREADS });
  });
  const loadRaw = await seconds(async () => {
    raw = await ort.InferenceSession.create(readFileSync(voice.modelPath), {
      intraOpNumThreads: THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  });
  const ids = await ours!.phonemeIds(SENTENCE);
  const config = JSON.parse(readFileSync(voice.configPath, 'utf8')) as {
    inference: { noise_scale: number; length_scale: number; noise_w: number };
  };
  const rawRun = () =>
    raw!.run({
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new ort.Tensor(
        'float32',
        Float32Array.of(
          config.inference.noise_scale,
          config.inference.length_scale,
          config.inference.noise_w,
        ),
        [3],
      ),
    });

  const rawTimes: number[] = [];
  const ourTimes: number[] = [];
  let audioSec = 0;
  // One warm-up each, then alternate so drift on a shared machine hits both alike.
  await rawRun();
  await ours!.synthesize(SENTENCE);
  for (let round = 0; round < ROUNDS; round++) {
    rawTimes.push(await seconds(rawRun));
    ourTimes.push(
      await seconds(async () => {
        const speech = await ours!.synthesize(SENTENCE);
        audioSec = speech.samples.length / speech.sampleRate;
      }),
    );
  }
  const row = (what: string, samples: number[], load: number) => ({
    what,
    'median s': median(samples).toFixed(3),
    'min s': Math.min(...samples).toFixed(3),
    'real-time factor': (median(samples) / audioSec).toFixed(3),
    'vs raw': `${(median(samples) / median(rawTimes)).toFixed(3)}x`,
    'load s': load.toFixed(2),
  });
  printTable(
    `One sentence (${ids.length} phoneme ids, ${audioSec.toFixed(2)} s of audio), median of ${ROUNDS} alternating runs (target <= 1.1x)`,
    [
      row('bare onnxruntime session, same ids (baseline)', rawTimes, loadRaw),
      row('PiperSynthesizer.synthesize (ours)', ourTimes, loadOurs),
    ],
  );

  await preparer.warm();
  const firstAudio = async (synthesizer: Synthesizer) => {
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // From an idle voice: this waits until a sentence still in hand from the last round is done.
      await synthesizer.synthesize('Ready.');
      times.push(
        await seconds(async () => {
          const stream = speakText(synthesizer, ANSWER, { format: 'markdown', preparer });
          await stream.next();
          await stream.return(undefined as never);
        }),
      );
    }
    return times;
  };
  /** Synthesis time over audio time, reading the answer through (the consumer does nothing). */
  const realTime = async (synthesizer: Synthesizer) => {
    let audio = 0;
    const synthesis = await seconds(async () => {
      for (let round = 0; round < 3; round++) {
        for await (const sentence of speakText(synthesizer, ANSWER, { format: 'markdown', preparer })) {
          audio += sentence.samples.length / sentence.sampleRate;
        }
      }
    });
    return synthesis / audio;
  };
  started = performance.now();
  const espeak = await EspeakSynthesizer.load();
  const loadEspeak = (performance.now() - started) / 1000;
  await espeak.synthesize('Warm up.');
  const [piperFirst, espeakFirst] = [await firstAudio(ours!), await firstAudio(espeak)];
  const [piperRtf, espeakRtf] = [await realTime(ours!), await realTime(espeak)];
  printTable(
    `"Read aloud" on a 3-sentence tutor answer, voice loaded, median of ${ROUNDS} (target <= 400 ms)`,
    [
      {
        voice: 'Piper medium-shaped (ours)',
        'first audio ms': (median(piperFirst) * 1000).toFixed(0),
        'real-time factor': piperRtf.toFixed(3),
        'load s': loadOurs.toFixed(2),
      },
      {
        voice: `espeak-ng ${espeak.voice.id} (ours)`,
        'first audio ms': (median(espeakFirst) * 1000).toFixed(0),
        'real-time factor': espeakRtf.toFixed(3),
        'load s': loadEspeak.toFixed(2),
      },
    ],
  );
  await Promise.all([ours!.close(), espeak.close(), raw!.release()]);
} finally {
  await preparer.close();
  rmSync(root, { recursive: true, force: true });
}
