/**
 * Decoding a 10-minute lecture file to 16 kHz mono: our streaming `openAudioStream` (mediabunny
 * demuxing + WebAssembly codecs + libsamplerate) against `@napi-rs/whisper`'s `decodeAudio`
 * (native, whole buffer at once) on the same MP3 and Opus files. Each run is its own process,
 * so peak RSS is that decoder's alone. The files are made from fixtures/audio/jfk.wav with
 * Debian's ffmpeg (scripts/install-system-deps.sh installs it for tests and benchmarks).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type * as AudioStreamModule from '../packages/core/src/audio/audio-stream.js';
import { median, printTable } from './stats.js';

const RUNS = 3;
const MINUTES = 10;

interface Measurement {
  ms: number;
  peakRssMb: number;
  samples: number;
}

const [mode, variant, file] = process.argv.slice(2);
if (mode === '--child') {
  console.log(JSON.stringify(await measure(variant as Variant, file!)));
} else {
  await main();
}

type Variant = 'ours' | 'baseline';

async function measure(which: Variant, path: string): Promise<Measurement> {
  const started = performance.now();
  let samples = 0;
  if (which === 'ours') {
    // Built code (npm run bench builds it), as the app runs it.
    const { openAudioStream } = (await import(
      new URL('../packages/core/dist/audio/audio-stream.js', import.meta.url).href
    )) as typeof AudioStreamModule;
    for await (const chunk of await openAudioStream(path)) samples += chunk.length;
  } else {
    const { decodeAudio } = await import('@napi-rs/whisper');
    samples = decodeAudio(readFileSync(path), path).length;
  }
  return {
    ms: performance.now() - started,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    samples,
  };
}

async function main(): Promise<void> {
  const speech = fixture('audio/jfk.wav');
  if (spawnSync('ffmpeg', ['-version']).error)
    throw new Error('ffmpeg is missing: run scripts/install-system-deps.sh');
  const folder = mkdtempSync(join(tmpdir(), 'lm-bench-audio-'));
  try {
    const loop = ['-stream_loop', '-1', '-i', speech, '-t', String(MINUTES * 60)];
    const files = {
      'MP3 44.1 kHz stereo 128 kb/s': encode(folder, 'lecture.mp3', [
        ...loop,
        ...['-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k'],
      ]),
      'Opus 48 kHz mono 32 kb/s (.opus)': encode(folder, 'lecture.opus', [
        ...loop,
        ...['-c:a', 'libopus', '-b:a', '32k'],
      ]),
      'AAC 44.1 kHz mono 96 kb/s (.m4a)': encode(folder, 'lecture.m4a', [
        ...loop,
        ...['-ar', '44100', '-c:a', 'aac', '-b:a', '96k'],
      ]),
    };
    const rows: Record<string, string | number>[] = [];
    const row = (file: string, what: string, samples: Measurement[]) => ({
      file,
      what,
      'median wall': `${(median(samples.map((s) => s.ms)) / 1000).toFixed(2)} s`,
      'peak RSS': `${median(samples.map((s) => s.peakRssMb)).toFixed(0)} MB`,
      'audio out': `${(samples[0]!.samples / 16000).toFixed(1)} s`,
    });
    for (const [label, path] of Object.entries(files)) {
      const ours = runs('ours', path);
      if (typeof ours === 'string') throw new Error(`ours failed on ${label}: ${ours}`);
      rows.push(row(label, 'ours: openAudioStream (streaming)', ours));
      const baseline = runs('baseline', path);
      if (typeof baseline === 'string') {
        rows.push({
          file: label,
          what: `baseline cannot decode it: ${baseline}`,
          'median wall': '-',
          'peak RSS': '-',
          'audio out': '-',
        });
        continue;
      }
      rows.push(row(label, 'baseline: @napi-rs/whisper decodeAudio (whole buffer)', baseline));
      rows.push({
        file: label,
        what: 'ours / baseline',
        'median wall': `${(median(ours.map((s) => s.ms)) / median(baseline.map((s) => s.ms))).toFixed(2)}x`,
        'peak RSS': `${(median(ours.map((s) => s.peakRssMb)) / median(baseline.map((s) => s.peakRssMb))).toFixed(2)}x`,
        'audio out': '-',
      });
    }
    printTable(
      `Decoding a ${MINUTES}-minute file to 16 kHz mono (${RUNS} runs each, one process per run)`,
      rows,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function encode(folder: string, name: string, args: string[]): string {
  const path = join(folder, name);
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, path], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr}`);
  return path;
}

/** RUNS measurements, or the decoder's error message when it cannot decode the file at all. */
function runs(which: Variant, path: string): Measurement[] | string {
  const self = fileURLToPath(import.meta.url);
  const measurements: Measurement[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', which, path], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    if (result.status !== 0) return /Error: (.*)/.exec(result.stderr)?.[1] ?? result.stderr;
    measurements.push(JSON.parse(result.stdout.trim().split('\n').pop()!) as Measurement);
  }
  return measurements;
}
