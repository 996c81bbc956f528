import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudioStream, SPEECH_SAMPLE_RATE } from './audio-stream.js';
import { ffmpeg } from './test-support/media.js';

const HOURS = 2;
const SECONDS = HOURS * 3600;
/** What holding the whole lecture decoded would cost: 16 kHz mono Float32. */
const DECODED_BYTES = SECONDS * SPEECH_SAMPLE_RATE * 4;

describe('openAudioStream on a two-hour lecture', () => {
  let folder: string;
  let path: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-audio-long-'));
    path = join(folder, 'two-hours.mp3');
    // A tone at a low bitrate keeps the file small (~7 MB) and quick to make; the decoder does
    // the same work per second of audio as for speech.
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=300:sample_rate=16000:duration=${SECONDS}`,
      '-ac',
      '1',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '8k',
      path,
    ]);
  }, 180_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('decodes all of it while memory stays far below the size of the decoded audio', async () => {
    expect(statSync(path).size).toBeLessThan(16 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    let samples = 0;
    let chunks = 0;
    const stream = await openAudioStream(path);
    expect(stream.info.durationSeconds).toBeCloseTo(SECONDS, -1);
    for await (const chunk of stream) {
      samples += chunk.length;
      // Each chunk is dropped here, as the transcriber does after using it.
      if (++chunks % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(Math.abs(samples / SPEECH_SAMPLE_RATE - SECONDS)).toBeLessThan(1);
    expect(stream.result).toMatchObject({ truncated: false, damagedFrames: 0 });
    // 460 MB decoded; streaming peaks around 110 MB here (WebAssembly heaps and allocator slack).
    const growth = peak - before;
    console.info(
      `two-hour MP3: RSS grew ${(growth / 1e6).toFixed(0)} MB while decoding ${(DECODED_BYTES / 1e6).toFixed(0)} MB of samples`,
    );
    expect(growth).toBeLessThan(DECODED_BYTES * 0.4);
  }, 300_000);
});
