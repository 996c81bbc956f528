/**
 * Lectures through the whole engine (`openTestCore`: dispatcher, lectures, transcripts, SQLite,
 * Silero VAD, whisper.cpp in its worker thread, at the transcripts service's own 2 threads):
 *
 * 1. Live caption latency after a pause. jfk.wav (then 1.5 s of silence, so its last phrase ends
 *    with a pause too) goes to `transcripts.liveAudio` in 500 ms blocks sent in real time (block i
 *    when its audio would have been captured), the recorder's WebM chunks to `lectures.appendChunk`
 *    alongside, on a generated base.en-shaped model (random weights, real speed). The same blocks
 *    through the product's SpeechCutter here give each utterance's pause and the block that closes
 *    it; its latency runs from the pause to its `transcripts.segment` event, split into the VAD's
 *    closing wait (minSilenceSec, then the rest of the block), the engine's own time (SpeechCutter
 *    and WhisperTranscriber are wrapped in this process to note when the utterance is cut and when
 *    whisper runs) and whisper. Baselines, on the idle engine after each round: a raw
 *    WhisperTranscriber.transcribe of the same samples with `shortAudioContext` and the prompt the
 *    engine passed, and the same whisper.cpp call stopped after one token (the encoder: what a
 *    real model's few tokens add to is small, while a random model decodes gibberish through
 *    whisper.cpp's temperature fallback, for anything from 0.1 s to tens of seconds).
 *    Target: <= 1.5 s after the pause. A warm-up recording (the model loads then) is reported apart.
 * 2. Memory while recording and transcribing an hour, in a fresh child process so the first part
 *    leaves nothing behind: jfk.wav looped with 2 s pauses through the live path AND the same audio,
 *    encoded once as the recorder's live WebM (the recording fixture: ffmpeg, MediaRecorder's
 *    layout), through `lectures.appendChunk` one chunk per second of audio, as fast as the captions
 *    keep up (at most BACKLOG_SEC of audio ahead). A tiny-shaped whisper model: this measures the
 *    pipeline, not the model. RSS, heap and external memory after a GC every BENCH_SAMPLE_SEC of
 *    audio, against the same process with the engine idle and the model loaded (after a short
 *    warm-up recording); then the stop (last caption, flush, rewrite with a seek index).
 *
 * BENCH_ROUNDS (default 3) live rounds; BENCH_MINUTES (default 60) of audio for the memory run,
 * fed for at most BENCH_MAX_FEED_SEC (default 360; slopes are per hour either way);
 * BENCH_SAMPLE_SEC (default 60); BENCH_PART=latency or memory runs one part.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Whisper, WhisperFullParams, WhisperSamplingStrategy } from '@napi-rs/whisper';
import { makeWhisperModel, WHISPER_SHAPES } from '../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../scripts/fixtures/model-catalog.js';
import type { TranscribeOptions } from '../packages/core/src/ai/stt/transcriber.js';
import { WhisperTranscriber } from '../packages/core/src/ai/stt/whisper-transcriber.js';
import { SileroVad } from '../packages/core/src/ai/vad/silero-vad.js';
import { DEFAULT_SEGMENTER_OPTIONS } from '../packages/core/src/ai/vad/speech-segmenter.js';
import { readWav } from '../packages/core/src/ai/vad/test-support/speech-audio.js';
import type { Lecture, TranscriptSegment, TranscriptStatus } from '../packages/core/src/contract/index.js';
import { recordLikeMediaRecorder } from '../packages/core/src/domains/lectures/test-support/webm-fixture.js';
import { SpeechCutter, type Utterance } from '../packages/core/src/domains/transcripts/speech-cutter.js';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { openTestCore, waitFor, type TestCore } from '../packages/core/src/test-support/temp-core.js';
import { median, printTable } from './stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const SAMPLE_SEC = Number(process.env.BENCH_SAMPLE_SEC ?? 60);
/** The memory run stops feeding after this long (a busy machine): the slope is extrapolated. */
const MAX_FEED_SEC = Number(process.env.BENCH_MAX_FEED_SEC ?? 360);
/** The transcripts service's own default (domains/transcripts/transcripts.ts); the engine takes no other. */
const THREADS = Math.max(1, Math.min(2, availableParallelism()));
const RATE = 16_000;
const BLOCK_MS = 500;
const BLOCK = (RATE * BLOCK_MS) / 1000;
/** Silence after jfk.wav in the latency run, so its last phrase is closed by a pause too. */
const TAIL_SEC = 1.5;
/** Pause between repetitions of jfk.wav in the memory run. */
const GAP_SEC = 2;
/** The memory run sends ahead of the captions by at most this much audio. */
const BACKLOG_SEC = 30;
/** A session of the benchmark started as its memory-run child (see `main`). */
const CHILD_DIR = process.env.LM_BENCH_LECTURE_MEMORY_DIR;
/** BENCH_PART=latency or memory runs one part only. */
const PART = process.env.BENCH_PART;

const JFK = fixture('audio/jfk.wav');
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mbOf = (bytes: number) => bytes / 1024 / 1024;

/** 16-bit samples, as the recorder's downsampler sends them. */
function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  return out;
}

const base64Of = (pcm: Int16Array) =>
  Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');

/** What the engine makes of the same 16-bit block (transcripts-service.ts divides by 32768). */
function toFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}

/** An engine in `dir` whose catalog holds one generated speech model, installed from its file. */
async function engineWithModel(
  dir: string,
  id: string,
  modelPath: string,
  ramBytes: number,
): Promise<TestCore> {
  mkdirSync(dir, { recursive: true });
  const modelCatalogFile = writeModelCatalog(dir, [
    { id, kind: 'stt', file: modelPath, fileName: `${id}.bin`, ramBytes },
  ]);
  const core = await openTestCore(join(dir, 'data'), {}, { modelCatalogFile });
  await core.value('models.installFromFile', { id, path: modelPath });
  return core;
}

const transcriptState = async (core: TestCore, lectureId: string) =>
  (await core.value<{ status: TranscriptStatus }>('transcripts.get', { lectureId })).status.state;

// ---------------------------------------------------------------------------------------------
// 1. Live caption latency
// ---------------------------------------------------------------------------------------------

/** An utterance the VAD closes with a pause, as the engine's cutter sees the same blocks. */
interface Reference {
  utterance: Utterance;
  /** The block whose push returned it. */
  closingBlock: number;
  /** When the speech stopped (the region's end without its padding), in seconds of audio. */
  pauseSec: number;
}

async function referenceCut(blocks: Int16Array[]): Promise<{ closed: Reference[]; atEnd: number }> {
  const vad = await SileroVad.load();
  const cutter = new SpeechCutter(vad);
  const closed: Reference[] = [];
  for (const [i, block] of blocks.entries()) {
    for (const utterance of await cutter.push(toFloat(block)))
      closed.push({
        utterance,
        closingBlock: i,
        pauseSec: utterance.endSec - DEFAULT_SEGMENTER_OPTIONS.padSec,
      });
  }
  const atEnd = (await cutter.finish()).length;
  await vad.close();
  return { closed, atEnd };
}

/**
 * Where the engine's time goes, without touching it: the product's SpeechCutter and
 * WhisperTranscriber methods are wrapped in this process to note when each utterance leaves the
 * voice detector and when its transcription starts and ends (`raw`, the baseline, is left out).
 */
interface Timeline {
  cut: { samples: number; at: number }[];
  whisper: { samples: number; start: number; end: number }[];
}

function instrument(raw: WhisperTranscriber): Timeline {
  const timeline: Timeline = { cut: [], whisper: [] };
  const push = SpeechCutter.prototype.push;
  SpeechCutter.prototype.push = async function (this: SpeechCutter, samples: Float32Array) {
    const utterances = await push.call(this, samples);
    const at = performance.now();
    for (const utterance of utterances) timeline.cut.push({ samples: utterance.samples.length, at });
    return utterances;
  };
  const transcribe = WhisperTranscriber.prototype.transcribe;
  WhisperTranscriber.prototype.transcribe = function (
    this: WhisperTranscriber,
    samples: Float32Array,
    options: TranscribeOptions,
  ) {
    const start = performance.now();
    const run = transcribe.call(this, samples, options);
    if (this !== raw)
      run.then(
        () => timeline.whisper.push({ samples: samples.length, start, end: performance.now() }),
        () => undefined,
      );
    return run;
  };
  return timeline;
}

/** Mirrors whisper-worker.ts: the encoder context sized to the utterance (`shortAudioContext`). */
const AUDIO_CONTEXT_PER_SEC = 50;
const AUDIO_CONTEXT_MARGIN = 32;

/**
 * The least whisper.cpp can do for an utterance on this machine: the same call as the worker's
 * (threads, encoder context) but one token, so the time is the encoder's (a real model's few
 * tokens add little; a random one decodes long gibberish, with whisper.cpp's temperature fallback).
 */
function encoderFloor(whisper: Whisper, samples: Float32Array): number {
  const params = new WhisperFullParams(WhisperSamplingStrategy.Greedy);
  params.nThreads = THREADS;
  params.language = 'en';
  params.noContext = true;
  params.suppressNonSpeechTokens = true;
  params.printProgress = false;
  params.printRealtime = false;
  params.printTimestamps = false;
  params.printSpecial = false;
  params.audioCtx = Math.ceil((samples.length / RATE) * AUDIO_CONTEXT_PER_SEC) + AUDIO_CONTEXT_MARGIN;
  params.singleSegment = true;
  params.maxTokens = 1;
  const start = performance.now();
  whisper.full(params, samples);
  return performance.now() - start;
}

interface Caption {
  at: number;
  segment: TranscriptSegment;
}

/** One recording in real time (block i sent when its audio would have been captured). */
async function liveRound(
  core: TestCore,
  blocks: Int16Array[],
  recording: { chunks: Buffer[]; startsMs: number[]; durationMs: number },
  utterances: number,
  transcribed: () => number,
) {
  const lecture = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
  const captions: Caption[] = [];
  const unsubscribe = core.subscribe((event) => {
    if (event.name === 'transcripts.segment' && event.payload.segment.lectureId === lecture.id)
      captions.push({ at: performance.now(), segment: event.payload.segment });
  });
  const sentAt: number[] = [];
  let seq = 0;
  const chunkEndMs = (i: number) => recording.startsMs[i + 1] ?? recording.durationMs;
  const append = async () => {
    await core.value('lectures.appendChunk', {
      id: lecture.id,
      seq,
      data: recording.chunks[seq]!.toString('base64'),
    });
    seq += 1;
  };
  const t0 = performance.now();
  for (const [i, block] of blocks.entries()) {
    await sleep(Math.max(0, t0 + (i + 1) * BLOCK_MS - performance.now()));
    sentAt.push(performance.now());
    await core.value('transcripts.liveAudio', {
      lectureId: lecture.id,
      startMs: i * BLOCK_MS,
      pcm: base64Of(block),
    });
    // The recorder's chunks go alongside, each once its second of audio is complete.
    while (seq < recording.chunks.length && chunkEndMs(seq) <= (i + 1) * BLOCK_MS) await append();
  }
  // Every utterance closed by a pause is transcribed (and its captions sent) before the stop.
  await waitFor(transcribed, (count) => count >= utterances, 180_000).catch(() =>
    console.log('(some utterances were not transcribed within 3 minutes)'),
  );
  await sleep(100);
  while (seq < recording.chunks.length) await append();
  await core.value('lectures.stop', { id: lecture.id });
  await waitFor(
    () => transcriptState(core, lecture.id),
    (state) => state === 'done',
    180_000,
  );
  unsubscribe();
  return { t0, sentAt, captions };
}

let referenceRanges: { fromMs: number; toMs: number }[] = [];
/** Index of the reference utterance a caption belongs to: its times are clamped inside it. */
const utteranceOf = (segment: TranscriptSegment) =>
  referenceRanges.findIndex(
    (range) => segment.startMs >= range.fromMs - 1 && segment.startMs <= range.toMs + 1,
  );
async function latencyRun(root: string): Promise<void> {
  const started = performance.now();
  const model = makeWhisperModel(join(root, 'base.en-shaped.bin'), WHISPER_SHAPES['base.en']);
  const core = await engineWithModel(join(root, 'latency'), 'whisper-base.en', model.path, 300 * 1024 * 1024);
  const raw = await WhisperTranscriber.load({ modelPath: model.path });
  const floorEngine = new Whisper(model.path);
  console.log(
    `Generated and installed a ${(model.bytes / 1e6).toFixed(0)} MB base.en-shaped model in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; whisper threads ${THREADS}; load average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
  );

  const jfk = toInt16(readWav(JFK));
  const audio = new Int16Array(jfk.length + TAIL_SEC * RATE);
  audio.set(jfk);
  const blocks: Int16Array[] = [];
  for (let at = 0; at < audio.length; at += BLOCK) blocks.push(audio.subarray(at, at + BLOCK));
  const { closed, atEnd } = await referenceCut(blocks);
  referenceRanges = closed.map(({ utterance }) => ({
    fromMs: utterance.startSec * 1000,
    toMs: utterance.endSec * 1000,
  }));
  const recording = await recordLikeMediaRecorder(JFK);
  console.log(
    `The VAD cuts jfk.wav + ${TAIL_SEC} s of silence into ${closed.length} utterances closed by a pause` +
      `${atEnd ? ` (+${atEnd} closed only by the stop, not measured)` : ''}: ` +
      closed.map(({ utterance: u }) => `${u.startSec.toFixed(2)}-${u.endSec.toFixed(2)} s`).join(', '),
  );
  const timeline = instrument(raw);

  type Times = Record<
    'vadOut' | 'toWhisper' | 'whisper' | 'toEvent' | 'afterPause' | 'raw' | 'floor',
    number[]
  >;
  const rows = closed.map((): Times & { segments: number } => ({
    vadOut: [],
    toWhisper: [],
    whisper: [],
    toEvent: [],
    afterPause: [],
    raw: [],
    floor: [],
    segments: 0,
  }));
  let cold: { afterPause: number; whisper: number } | undefined;
  let missing = 0;
  /** The engine's own time around whisper for utterances that did not wait for an earlier one. */
  const unqueued: number[] = [];
  let unmatched = 0;
  // Round 0 is the warm-up: the first utterance of the engine's first recording loads the model.
  for (let round = 0; round <= ROUNDS; round++) {
    const expected = round === 0 ? 1 : closed.length;
    const fed = round === 0 ? blocks.slice(0, closed[0]!.closingBlock + 1) : blocks;
    timeline.cut.length = 0;
    timeline.whisper.length = 0;
    const { t0, sentAt, captions } = await liveRound(
      core,
      fed,
      recording,
      expected,
      () => timeline.whisper.length,
    );
    // The prompt the engine gave each utterance: the end of the captions before it (transcripts-service.ts).
    let previous = '';
    const prompts: string[] = [];
    for (const [k, reference] of closed.slice(0, expected).entries()) {
      prompts.push(previous.slice(-200));
      const own = captions.filter((caption) => utteranceOf(caption.segment) === k);
      for (const caption of own) previous = `${previous} ${caption.segment.text}`.slice(-200);
      // Utterances leave the cutter and reach whisper in order, one call each.
      const cut = timeline.cut[k];
      const call = timeline.whisper[k];
      const samples = reference.utterance.samples.length;
      if (!cut || !call || cut.samples !== samples || call.samples !== samples) {
        unmatched += 1;
        continue;
      }
      if (own.length === 0) {
        missing += 1;
        continue;
      }
      const shown = Math.max(...own.map((caption) => caption.at));
      const afterPause = shown - (t0 + reference.pauseSec * 1000);
      if (round === 0) {
        cold = { afterPause, whisper: call.end - call.start };
        continue;
      }
      const row = rows[k]!;
      row.vadOut.push(cut.at - sentAt[reference.closingBlock]!);
      row.toWhisper.push(call.start - cut.at);
      row.whisper.push(call.end - call.start);
      row.toEvent.push(shown - call.end);
      row.afterPause.push(afterPause);
      const earlier = timeline.whisper[k - 1];
      if (!earlier || earlier.end <= sentAt[reference.closingBlock]!)
        unqueued.push(cut.at - sentAt[reference.closingBlock]! + (call.start - cut.at) + (shown - call.end));
      row.segments += own.length;
    }
    if (round === 0) continue;
    // The baseline right after the round, on the idle engine: the same samples and prompt.
    for (const [k, { utterance }] of closed.entries()) {
      const start = performance.now();
      await raw.transcribe(utterance.samples.slice(), {
        threads: THREADS,
        language: 'en',
        shortAudioContext: true,
        ...(prompts[k]!.trim() ? { initialPrompt: prompts[k]! } : {}),
      });
      rows[k]!.raw.push(performance.now() - start);
      rows[k]!.floor.push(encoderFloor(floorEngine, utterance.samples));
    }
  }

  const stat = (samples: number[]) =>
    samples.length ? `${seconds(median(samples))} / ${seconds(Math.max(...samples))}` : '-';
  const { minSilenceSec } = DEFAULT_SEGMENTER_OPTIONS;
  const blockRest = ({ closingBlock, pauseSec }: Reference) =>
    (closingBlock + 1) * (BLOCK_MS / 1000) - pauseSec - minSilenceSec;
  printTable(
    `Live captions through the engine: jfk.wav in ${BLOCK_MS} ms blocks in real time, ${ROUNDS} rounds after a warm-up ` +
      `(seconds, median / max over rounds; target: shown <= 1.5 s after the pause)`,
    closed.map((reference, k) => {
      const row = rows[k]!;
      const { utterance, pauseSec } = reference;
      return {
        utterance: `${utterance.startSec.toFixed(2)}-${utterance.endSec.toFixed(2)} (${(utterance.samples.length / RATE).toFixed(2)} s)`,
        'pause at': pauseSec.toFixed(2),
        'VAD wait: silence + block': `${minSilenceSec.toFixed(2)} + ${blockRest(reference).toFixed(2)}`,
        'block sent > cut': stat(row.vadOut),
        'cut > whisper': stat(row.toWhisper),
        'whisper (engine)': stat(row.whisper),
        'raw transcribe': stat(row.raw),
        'encoder floor': stat(row.floor),
        'whisper > event': stat(row.toEvent),
        'shown after pause': stat(row.afterPause),
        'segs/round': (row.segments / Math.max(1, row.afterPause.length)).toFixed(1),
      };
    }),
  );
  const all = (pick: (row: Times) => number[]) => rows.flatMap(pick);
  const afterPause = all((row) => row.afterPause);
  const whisper = all((row) => row.whisper);
  const rawTimes = all((row) => row.raw);
  const floor = all((row) => row.floor);
  const vadWait = closed.map((reference) => minSilenceSec + blockRest(reference));
  const outside = rows.flatMap((row) =>
    row.vadOut.map((vadOut, i) => vadOut + row.toWhisper[i]! + row.toEvent[i]!),
  );
  const line = (what: string, samples: number[], scale = 1000) => ({
    what,
    median: samples.length ? seconds(median(samples) * (1000 / scale)) : '-',
    max: samples.length ? seconds(Math.max(...samples) * (1000 / scale)) : '-',
  });
  printTable('Live captions, all utterances (seconds)', [
    line('shown after the pause', afterPause),
    line(`  VAD closing wait: minSilenceSec ${minSilenceSec} + rest of the ${BLOCK_MS} ms block`, vadWait, 1),
    line('  engine outside whisper (dispatch, VAD, queue, pick model, store, event)', outside),
    line('  whisper in the engine', whisper),
    line('raw WhisperTranscriber.transcribe, same samples and prompt (baseline)', rawTimes),
    {
      what: 'whisper in the engine / raw (x, medians)',
      median: whisper.length ? (median(whisper) / median(rawTimes)).toFixed(3) : '-',
      max: '',
    },
    line('raw whisper.cpp, same call but 1 token (the encoder: a floor for a real model)', floor),
    ...(unqueued.length
      ? [
          line('engine outside whisper when nothing was queued before the utterance', unqueued),
          {
            what: 'floor after the pause: VAD wait + engine outside whisper (not queued) + encoder floor',
            median: seconds(median(vadWait) * 1000 + median(unqueued) + median(floor)),
            max: '',
          },
        ]
      : []),
    ...(cold
      ? [
          {
            what: 'cold: first utterance of the first recording, model loading',
            median: seconds(cold.afterPause),
            max: `whisper ${seconds(cold.whisper)}`,
          },
        ]
      : []),
  ]);
  if (missing) console.log(`${missing} utterance(s) got no caption event (whisper wrote no text).`);
  if (unmatched) console.log(`${unmatched} utterance(s) were cut differently by the engine and left out.`);
  await raw.close();
  await core.close();
}

// ---------------------------------------------------------------------------------------------
// 2. Memory while recording and transcribing a long lecture (child process)
// ---------------------------------------------------------------------------------------------

interface ChunkIndex {
  lengths: number[];
  startsMs: number[];
  durationMs: number;
}

/** jfk.wav then a pause, repeated: one cycle of the long lecture's audio. */
function lectureCycle(): Int16Array {
  const jfk = toInt16(readWav(JFK));
  const cycle = new Int16Array(jfk.length + GAP_SEC * RATE);
  cycle.set(jfk);
  return cycle;
}

/** Encodes the long lecture once as the recorder would (the child appends its chunks). */
async function prepareRecording(dir: string, totalSamples: number): Promise<void> {
  const started = performance.now();
  const cycle = lectureCycle();
  const wav = Buffer.alloc(44 + totalSamples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + totalSamples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(RATE, 24);
  wav.writeUInt32LE(RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(totalSamples * 2, 40);
  for (let i = 0; i < totalSamples; i++) wav.writeInt16LE(cycle[i % cycle.length]!, 44 + i * 2);
  const wavPath = join(dir, 'lecture.wav');
  writeFileSync(wavPath, wav);
  const recording = await recordLikeMediaRecorder(wavPath);
  rmSync(wavPath);
  writeFileSync(join(dir, 'chunks.bin'), Buffer.concat(recording.chunks));
  const index: ChunkIndex = {
    lengths: recording.chunks.map((chunk) => chunk.length),
    startsMs: recording.startsMs,
    durationMs: recording.durationMs,
  };
  writeFileSync(join(dir, 'chunks.json'), JSON.stringify(index));
  console.log(
    `\nEncoded ${MINUTES} min of lecture audio as the recorder's live WebM in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${index.lengths.length} chunks, ${mbOf(index.lengths.reduce((a, b) => a + b, 0)).toFixed(1)} MB`,
  );
}

interface MemorySample {
  audioSec: number;
  rss: number;
  heapUsed: number;
  external: number;
  backlogSec: number;
}

function memoryNow(): { rss: number; heapUsed: number; external: number } {
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

/** Least-squares slope of `value` against hours of audio. */
function slopePerHour(samples: MemorySample[], value: (sample: MemorySample) => number): number {
  const xs = samples.map((sample) => sample.audioSec / 3600);
  const ys = samples.map(value);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function memoryRun(dir: string): Promise<void> {
  if (!globalThis.gc) console.log('(no --expose-gc: memory is sampled without a collection first)');
  const index = JSON.parse(readFileSync(join(dir, 'chunks.json'), 'utf8')) as ChunkIndex;
  const offsets = index.lengths.map((_, i) => index.lengths.slice(0, i).reduce((a, b) => a + b, 0));
  const chunkFile = openSync(join(dir, 'chunks.bin'), 'r');
  const chunk = (seq: number) => {
    const bytes = Buffer.alloc(index.lengths[seq]!);
    readSync(chunkFile, bytes, 0, bytes.length, offsets[seq]!);
    return bytes.toString('base64');
  };
  const chunkEndMs = (seq: number) => index.startsMs[seq + 1] ?? index.durationMs;
  const model = makeWhisperModel(join(dir, 'tiny-shaped.bin'), WHISPER_SHAPES.tiny);
  const core = await engineWithModel(join(dir, 'engine'), 'whisper-tiny.en', model.path, 64 * 1024 * 1024);
  await sleep(1000);
  const opened = memoryNow();
  const cycle = lectureCycle();
  const blockAt = (i: number) => {
    const block = new Int16Array(BLOCK);
    for (let j = 0; j < BLOCK; j++) block[j] = cycle[(i * BLOCK + j) % cycle.length]!;
    return block;
  };

  let lectureId = '';
  let lastCaptionMs = 0;
  let segments = 0;
  core.subscribe((event) => {
    if (event.name === 'transcripts.segment' && event.payload.segment.lectureId === lectureId) {
      segments += 1;
      lastCaptionMs = Math.max(lastCaptionMs, event.payload.segment.endMs);
    }
  });
  // The harness keeps every event for tests: let them go so only the engine's memory is measured.
  const dropHarnessEvents = () => (core.events.length = 0);

  // Warm-up: a short recording loads the VAD, the speech model and the demuxer the stop uses.
  const warmUp = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
  lectureId = warmUp.id;
  for (let i = 0; i < Math.ceil((cycle.length * 2) / BLOCK); i++)
    await core.value('transcripts.liveAudio', {
      lectureId,
      startMs: i * BLOCK_MS,
      pcm: base64Of(blockAt(i)),
    });
  await core.value('lectures.appendChunk', { id: lectureId, seq: 0, data: chunk(0) });
  await core.value('lectures.stop', { id: lectureId });
  await waitFor(
    () => transcriptState(core, warmUp.id),
    (state) => state === 'done',
    60_000,
  );
  dropHarnessEvents();
  memoryNow();
  await sleep(3000);
  const idle = memoryNow();

  const lecture = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
  lectureId = lecture.id;
  lastCaptionMs = 0;
  segments = 0;
  const samples: MemorySample[] = [];
  let peakRss = process.memoryUsage.rss();
  let waitedMs = 0;
  let seq = 0;
  let sentBlocks = 0;
  const started = performance.now();
  const totalBlocks = Math.round((MINUTES * 60 * 1000) / BLOCK_MS);
  for (let i = 0; i < totalBlocks; i++) {
    await core.value('transcripts.liveAudio', {
      lectureId,
      startMs: i * BLOCK_MS,
      pcm: base64Of(blockAt(i)),
    });
    const sentMs = (i + 1) * BLOCK_MS;
    while (seq < index.lengths.length && chunkEndMs(seq) <= sentMs)
      await core.value('lectures.appendChunk', { id: lectureId, seq, data: chunk(seq++) });
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    // Keep pace with the captions, as a real recording does (captions would not keep up otherwise).
    const waitStart = performance.now();
    let lastSeen = lastCaptionMs;
    let quietSince = waitStart;
    while (sentMs - Math.min(lastCaptionMs, sentMs) > BACKLOG_SEC * 1000) {
      await sleep(10);
      if (lastCaptionMs !== lastSeen) [lastSeen, quietSince] = [lastCaptionMs, performance.now()];
      if (performance.now() - quietSince > 120_000)
        throw new Error(`no caption for 2 minutes at ${seconds(sentMs)} s of audio: the live path stalled`);
    }
    waitedMs += performance.now() - waitStart;
    sentBlocks = i + 1;
    const outOfTime = (performance.now() - started) / 1000 > MAX_FEED_SEC;
    if (sentMs % (SAMPLE_SEC * 1000) === 0 || outOfTime || sentBlocks === totalBlocks) {
      dropHarnessEvents();
      samples.push({ audioSec: sentMs / 1000, ...memoryNow(), backlogSec: (sentMs - lastCaptionMs) / 1000 });
    }
    if (outOfTime) break;
  }
  const sentSec = (sentBlocks * BLOCK_MS) / 1000;
  // The recorder's last chunk holds the end of the audio sent.
  while (seq < index.lengths.length && index.startsMs[seq]! < sentSec * 1000)
    await core.value('lectures.appendChunk', { id: lectureId, seq, data: chunk(seq++) });
  const fedWall = (performance.now() - started) / 1000;

  // The stop: the last caption, the flush, and the rewrite with a seek index of the whole file.
  let stopPeak = process.memoryUsage.rss();
  const probe = setInterval(() => (stopPeak = Math.max(stopPeak, process.memoryUsage.rss())), 25);
  const stopStart = performance.now();
  const stopped = await core.value<Lecture>('lectures.stop', { id: lectureId });
  const stopSec = (performance.now() - stopStart) / 1000;
  await waitFor(
    () => transcriptState(core, lectureId),
    (state) => state === 'done',
    120_000,
  );
  await sleep(2000);
  clearInterval(probe);
  dropHarnessEvents();
  const after = memoryNow();
  closeSync(chunkFile);

  const row = (what: string, memory: { rss: number; heapUsed: number; external: number }, note = '') => ({
    what,
    'RSS MB': mbOf(memory.rss).toFixed(1),
    'vs idle MB': (mbOf(memory.rss - idle.rss) >= 0 ? '+' : '') + mbOf(memory.rss - idle.rss).toFixed(1),
    'heap MB': mbOf(memory.heapUsed).toFixed(1),
    'external MB': mbOf(memory.external).toFixed(1),
    note,
  });
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const peakSample = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const secondHalf = samples.filter((sample) => sample.audioSec > sentSec / 2);
  const fedMin = sentSec / 60;
  const scaled = fedMin < 59.9 ? ` (a ${fedMin.toFixed(1)} min run: slopes extrapolated to an hour)` : '';
  printTable(
    `Memory while recording and captioning ${fedMin.toFixed(1)} min (jfk.wav + ${GAP_SEC} s pauses, tiny-shaped whisper, ` +
      `${THREADS} threads): ${samples.length} samples after a GC every ${SAMPLE_SEC} s of audio${scaled}`,
    [
      row('engine open, model installed, not loaded', opened),
      row('engine idle, model loaded (baseline)', idle),
      row(`start (first sample, ${first.audioSec} s of audio)`, first),
      row(`peak sample (${peakSample.audioSec} s of audio)`, peakSample),
      {
        ...row('peak RSS seen while feeding (no GC)', { rss: peakRss, heapUsed: 0, external: 0 }),
        'heap MB': '',
        'external MB': '',
      },
      row(
        `end of recording (${last.audioSec} s of audio)`,
        last,
        `caption backlog ${last.backlogSec.toFixed(1)} s`,
      ),
      {
        ...row('peak RSS during the stop', { rss: stopPeak, heapUsed: 0, external: 0 }),
        'heap MB': '',
        'external MB': '',
        note: `stop took ${stopSec.toFixed(1)} s`,
      },
      row('after the stop, idle', after),
    ],
  );
  const slope = (set: MemorySample[], pick: (sample: MemorySample) => number) =>
    `${slopePerHour(set, (sample) => mbOf(pick(sample))) >= 0 ? '+' : ''}${slopePerHour(set, (sample) => mbOf(pick(sample))).toFixed(1)}`;
  printTable('Growth while recording, MB per hour of audio (least squares over the samples)', [
    {
      over: 'all samples',
      RSS: slope(samples, (sample) => sample.rss),
      heap: slope(samples, (sample) => sample.heapUsed),
      external: slope(samples, (sample) => sample.external),
    },
    {
      over: 'second half',
      RSS: slope(secondHalf, (sample) => sample.rss),
      heap: slope(secondHalf, (sample) => sample.heapUsed),
      external: slope(secondHalf, (sample) => sample.external),
    },
  ]);
  console.log(
    `${sentSec.toFixed(0)} s of audio fed in ${fedWall.toFixed(0)} s (${(sentSec / fedWall).toFixed(1)}x real time, ` +
      `${(waitedMs / 1000).toFixed(0)} s of it waiting for captions); ${segments} caption segments; ` +
      `recording ${mbOf(stopped.bytes).toFixed(1)} MB, ${(stopped.durationMs / 1000).toFixed(0)} s.`,
  );
  await core.close();
}

// ---------------------------------------------------------------------------------------------

/** Both parts, the memory run in a fresh process: what the first part loaded and freed does not blur its baseline. */
async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lm-bench-lecture-'));
  try {
    if (PART !== 'memory') await latencyRun(root);
    if (PART === 'latency') return;
    const memoryDir = join(root, 'memory');
    mkdirSync(memoryDir);
    await prepareRecording(memoryDir, Math.round(MINUTES * 60 * RATE));
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, LM_BENCH_LECTURE_MEMORY_DIR: memoryDir },
    });
    if (child.status !== 0) throw new Error(`the memory run failed (exit ${child.status ?? child.signal})`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await (CHILD_DIR ? memoryRun(CHILD_DIR) : main());
