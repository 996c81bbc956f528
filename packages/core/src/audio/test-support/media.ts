import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { AudioStream } from '../audio-stream.js';

/**
 * Test media is made at test time from a WAV with Debian's ffmpeg (installed for tests only by
 * scripts/install-system-deps.sh), so no encoded binaries are committed. The app never runs ffmpeg.
 */
export function ffmpeg(args: string[]): void {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
    encoding: 'utf8',
  });
  if (result.error) {
    throw new Error(
      'ffmpeg is not installed: `npm run test:all` installs it (scripts/install-system-deps.sh)',
    );
  }
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${result.stderr}`);
}

/** A short blue picture for video files: enough to make a real video track. */
const VIDEO = ['-f', 'lavfi', '-i', 'color=c=blue:s=64x64:r=5'];

export interface MediaRecipe {
  /** File name in the test folder; its extension is what a student would see. */
  name: string;
  container: string;
  codec: string;
  lossless: boolean;
  args: (source: string) => string[];
}

/** The formats the Lectures import promises, each made from the same source WAV. */
export const RECIPES: MediaRecipe[] = [
  {
    name: 'lecture-44k-stereo.wav',
    container: 'WAVE',
    codec: 'pcm-s16',
    lossless: true,
    args: (source) => ['-i', source, '-ar', '44100', '-ac', '2', '-c:a', 'pcm_s16le'],
  },
  {
    name: 'lecture.mp3',
    container: 'MP3',
    codec: 'mp3',
    lossless: false,
    args: (source) => ['-i', source, '-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '96k'],
  },
  {
    name: 'lecture.m4a',
    container: 'MP4',
    codec: 'aac',
    lossless: false,
    args: (source) => ['-i', source, '-ar', '44100', '-c:a', 'aac', '-b:a', '96k'],
  },
  {
    // Phones write the index (moov) after the audio; a reader that streams must still start.
    name: 'lecture-index-first.m4a',
    container: 'MP4',
    codec: 'aac',
    lossless: false,
    args: (source) => ['-i', source, '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'],
  },
  {
    name: 'lecture.aac',
    container: 'ADTS',
    codec: 'aac',
    lossless: false,
    args: (source) => ['-i', source, '-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  },
  {
    name: 'lecture.opus',
    container: 'Ogg',
    codec: 'opus',
    lossless: false,
    args: (source) => ['-i', source, '-c:a', 'libopus', '-b:a', '48k'],
  },
  {
    name: 'lecture.ogg',
    container: 'Ogg',
    codec: 'vorbis',
    lossless: false,
    args: (source) => ['-i', source, '-ar', '22050', '-c:a', 'libvorbis', '-q:a', '4'],
  },
  {
    name: 'lecture.flac',
    container: 'FLAC',
    codec: 'flac',
    lossless: true,
    args: (source) => ['-i', source, '-ar', '48000', '-c:a', 'flac'],
  },
  {
    name: 'lecture.webm',
    container: 'WebM',
    codec: 'opus',
    lossless: false,
    args: (source) => [
      ...VIDEO,
      '-i',
      source,
      '-shortest',
      '-c:v',
      'libvpx',
      '-c:a',
      'libopus',
      '-b:a',
      '48k',
    ],
  },
  {
    name: 'lecture.mp4',
    container: 'MP4',
    codec: 'aac',
    lossless: false,
    args: (source) => [...VIDEO, '-i', source, '-shortest', '-c:v', 'mpeg4', '-c:a', 'aac', '-b:a', '96k'],
  },
  {
    name: 'lecture.mkv',
    container: 'Matroska',
    codec: 'flac',
    lossless: true,
    args: (source) => ['-i', source, '-c:a', 'flac', '-f', 'matroska'],
  },
];

export function makeMedia(folder: string, source: string, recipe: MediaRecipe): string {
  const path = join(folder, recipe.name);
  ffmpeg([...recipe.args(source), path]);
  return path;
}

export async function readAll(stream: AudioStream): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Best normalised correlation of `actual` against `expected` over shifts of up to `maxLag` samples. */
export function bestCorrelation(expected: Float32Array, actual: Float32Array, maxLag = 800) {
  let best = { correlation: -1, lag: 0 };
  const from = maxLag;
  const to = Math.min(expected.length, actual.length) - maxLag;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0;
    let energyA = 0;
    let energyB = 0;
    for (let index = from; index < to; index++) {
      const a = expected[index]!;
      const b = actual[index + lag]!;
      dot += a * b;
      energyA += a * a;
      energyB += b * b;
    }
    const correlation = dot / Math.sqrt(energyA * energyB || 1);
    if (correlation > best.correlation) best = { correlation, lag };
  }
  return best;
}

/** Root-mean-square level of each 20 ms frame at 16 kHz: the loudness shape speech recognition sees. */
export function energyEnvelope(samples: Float32Array, frame = 320): Float32Array {
  const envelope = new Float32Array(Math.floor(samples.length / frame));
  for (let index = 0; index < envelope.length; index++) {
    let sum = 0;
    for (let offset = index * frame; offset < (index + 1) * frame; offset++) sum += samples[offset]! ** 2;
    envelope[index] = Math.sqrt(sum / frame);
  }
  return envelope;
}

export function pearson(a: Float32Array, b: Float32Array): number {
  const length = Math.min(a.length, b.length);
  let meanA = 0;
  let meanB = 0;
  for (let index = 0; index < length; index++) {
    meanA += a[index]!;
    meanB += b[index]!;
  }
  meanA /= length;
  meanB /= length;
  let dot = 0;
  let varA = 0;
  let varB = 0;
  for (let index = 0; index < length; index++) {
    const x = a[index]! - meanA;
    const y = b[index]! - meanB;
    dot += x * y;
    varA += x * x;
    varB += y * y;
  }
  return dot / Math.sqrt(varA * varB);
}
