import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../contract/index.js';
import { fixture } from '../ingest/test-support/fixtures.js';
import { openAudioStream, SPEECH_SAMPLE_RATE } from './audio-stream.js';
import {
  bestCorrelation,
  energyEnvelope,
  ffmpeg,
  makeMedia,
  pearson,
  readAll,
  RECIPES,
} from './test-support/media.js';
import { decodeWav, encodeWav } from './wav.js';

/** Real speech: JFK's inaugural address excerpt, 16 kHz mono, 11.0 s. */
const SPEECH_SECONDS = 11;

async function expectInvalid(path: string, message: RegExp): Promise<AppError> {
  const error = await openAudioStream(path).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('INVALID_INPUT');
  expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

describe('openAudioStream', () => {
  let folder: string;
  let speech: Float32Array;
  let source: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-audio-'));
    source = fixture('audio/jfk.wav');
    speech = decodeWav(readFileSync(source)).channels[0]!;
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe.each(RECIPES)('$name', (recipe) => {
    it('decodes to 16 kHz mono of the right length that matches the original', async () => {
      const path = makeMedia(folder, source, recipe);
      const stream = await openAudioStream(path);
      expect(stream.info).toMatchObject({
        container: recipe.container,
        codec: recipe.codec,
        sampleRate: SPEECH_SAMPLE_RATE,
      });
      // Raw ADTS has no header that states the length; everything else does.
      if (recipe.container === 'ADTS') expect(stream.info.durationSeconds).toBeNull();
      else expect(stream.info.durationSeconds).toBeCloseTo(SPEECH_SECONDS, 0);
      const audio = await readAll(stream);

      // Duration: within 60 ms (encoder padding of lossy codecs) of the source.
      expect(Math.abs(audio.length / SPEECH_SAMPLE_RATE - SPEECH_SECONDS)).toBeLessThan(0.06);
      expect(stream.result).toMatchObject({ truncated: false, damagedFrames: 0, warnings: [] });
      expect(stream.result!.samples).toBe(audio.length);

      // The same speech, in time: waveform and loudness envelope track the original.
      const { correlation, lag } = bestCorrelation(speech, audio);
      expect(correlation).toBeGreaterThan(recipe.lossless ? 0.999 : 0.97);
      // Containers say how much encoder delay to drop; raw ADTS cannot, so it starts ~30 ms late.
      expect(Math.abs(lag)).toBeLessThanOrEqual(recipe.container === 'ADTS' ? 1100 : 2);
      const aligned = lag >= 0 ? [speech, audio.subarray(lag)] : [speech.subarray(-lag), audio];
      expect(pearson(energyEnvelope(aligned[0]!), energyEnvelope(aligned[1]!))).toBeGreaterThan(0.98);
    });
  });

  it('yields chunks of the requested size, only the last shorter', async () => {
    const stream = await openAudioStream(source, { chunkSamples: 4000 });
    const sizes: number[] = [];
    for await (const chunk of stream) sizes.push(chunk.length);
    expect(sizes.slice(0, -1).every((size) => size === 4000)).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(speech.length);
  });

  it('reads a recording whose WAV header was never finished (the recorder crashed)', async () => {
    const bytes = encodeWav({ sampleRate: 16000, channels: [speech] });
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 0xffffffff, true);
    view.setUint32(40, 0xffffffff, true);
    const path = join(folder, 'crashed.wav');
    writeFileSync(path, bytes);
    const audio = await readAll(await openAudioStream(path));
    expect(audio.length).toBe(speech.length);
  });

  describe('bad input', () => {
    it('refuses a text file named .mp3, saying it is not audio', async () => {
      const path = join(folder, 'notes.mp3');
      writeFileSync(path, 'These are my lecture notes, not a recording.\n'.repeat(200));
      await expectInvalid(path, /its name ends in \.mp3.*not audio or video/);
    });

    it('refuses a PDF named .mp3, naming what it is', async () => {
      const path = join(folder, 'slides.mp3');
      writeFileSync(path, readFileSync(fixture('pdf/tracemonkey.pdf')));
      await expectInvalid(path, /This file is a PDF document, although its name ends in \.mp3, not an audio/);
    });

    it('refuses random bytes named .m4a', async () => {
      const path = join(folder, 'noise.m4a');
      const bytes = new Uint8Array(64 * 1024);
      for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 2654435761) >>> 24;
      writeFileSync(path, bytes);
      await expectInvalid(path, /not audio or video|damaged|no audio/);
    });

    it('refuses a zero-length file', async () => {
      const path = join(folder, 'empty.mp3');
      writeFileSync(path, '');
      await expectInvalid(path, /empty \(0 bytes\)/);
    });

    it('says so for a missing file', async () => {
      await expect(openAudioStream(join(folder, 'gone.mp3'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('decodes a truncated MP3 up to where it stops and reports it cut short', async () => {
      const path = makeMedia(
        folder,
        source,
        RECIPES.find((recipe) => recipe.name === 'lecture.mp3')!,
      );
      const cut = join(folder, 'cut.mp3');
      writeFileSync(cut, readFileSync(path));
      truncateSync(cut, Math.floor(readFileSync(path).byteLength * 0.5));
      const stream = await openAudioStream(cut);
      const audio = await readAll(stream);
      const seconds = audio.length / SPEECH_SAMPLE_RATE;
      expect(seconds).toBeGreaterThan(4);
      expect(seconds).toBeLessThan(7);
      expect(stream.result).toMatchObject({ truncated: true });
      expect(stream.result!.warnings[0]).toMatch(/ends early: 0:0\d of its 0:11 could be read/);
      // What was decoded is the start of the real speech.
      expect(bestCorrelation(speech.subarray(0, audio.length), audio).correlation).toBeGreaterThan(0.97);
    });

    it('decodes an M4A whose audio is cut off after its index, and reports it cut short', async () => {
      const path = makeMedia(
        folder,
        source,
        RECIPES.find((recipe) => recipe.name === 'lecture-index-first.m4a')!,
      );
      const cut = join(folder, 'cut-index-first.m4a');
      const bytes = readFileSync(path);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.byteLength * 0.5)));
      const stream = await openAudioStream(cut);
      const audio = await readAll(stream);
      expect(audio.length / SPEECH_SAMPLE_RATE).toBeGreaterThan(3);
      expect(audio.length / SPEECH_SAMPLE_RATE).toBeLessThan(8);
      expect(stream.result).toMatchObject({ truncated: true });
      expect(bestCorrelation(speech.subarray(0, audio.length), audio).correlation).toBeGreaterThan(0.97);
    });

    it('refuses an MP4 cut off before its index', async () => {
      const path = makeMedia(
        folder,
        source,
        RECIPES.find((recipe) => recipe.name === 'lecture.m4a')!,
      );
      const cut = join(folder, 'cut.m4a');
      writeFileSync(cut, readFileSync(path).subarray(0, 20_000));
      await expectInvalid(cut, /damaged or incomplete|no audio/);
    });

    it('refuses a video with no sound track', async () => {
      const webm = join(folder, 'silent.webm');
      ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=64x64:r=5', '-t', '2', '-c:v', 'libvpx', webm]);
      await expectInvalid(webm, /This video has no sound track/);
      const mp4 = join(folder, 'silent.mp4');
      ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=64x64:r=5', '-t', '2', '-c:v', 'mpeg4', mp4]);
      await expectInvalid(mp4, /This video has no sound track/);
    });

    it('refuses codecs it cannot decode, naming them', async () => {
      const ac3 = join(folder, 'surround.mka');
      ffmpeg(['-i', source, '-c:a', 'ac3', '-f', 'matroska', ac3]);
      const error = await expectInvalid(ac3, /Dolby Digital \(AC-3\).*Convert it to MP3/);
      expect(error.details).toEqual({ codec: 'ac3' });
      const vorbisInWebm = join(folder, 'old.webm');
      ffmpeg(['-i', source, '-c:a', 'libvorbis', vorbisInWebm]);
      await expectInvalid(vorbisInWebm, /Vorbis audio inside a WebM\/MKV file/);
    });
  });

  describe('cancel', () => {
    it('does not open when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(openAudioStream(source, { signal: controller.signal })).rejects.toMatchObject({
        code: 'CANCELLED',
      });
    });

    it('stops mid-stream with CANCELLED', async () => {
      const controller = new AbortController();
      const stream = await openAudioStream(source, { signal: controller.signal, chunkSamples: 1600 });
      let chunks = 0;
      const reading = (async () => {
        for await (const chunk of stream) {
          expect(chunk.length).toBeGreaterThan(0);
          if (++chunks === 3) controller.abort();
        }
      })();
      await expect(reading).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(chunks).toBe(3);
      expect(stream.result).toBeNull();
    });
  });
});
