import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, WavFileWriter } from './wav.js';

const ramp = (length: number, scale = 1) =>
  Float32Array.from({ length }, (_, index) => (scale * (index % 200)) / 100 - scale);

describe('WAV 16-bit PCM', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-wav-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('round-trips stereo samples within 16-bit precision', () => {
    const left = ramp(1000);
    const right = ramp(1000, 0.5);
    const decoded = decodeWav(encodeWav({ sampleRate: 44100, channels: [left, right] }));
    expect(decoded.sampleRate).toBe(44100);
    expect(decoded.channels).toHaveLength(2);
    for (const [index, original] of [left, right].entries()) {
      const channel = decoded.channels[index]!;
      expect(channel).toHaveLength(1000);
      for (let sample = 0; sample < 1000; sample++) {
        expect(Math.abs(channel[sample]! - original[sample]!)).toBeLessThan(1 / 16384);
      }
    }
  });

  it('clips samples outside [-1, 1] instead of wrapping around', () => {
    const decoded = decodeWav(encodeWav({ sampleRate: 16000, channels: [Float32Array.of(1.5, -3, 0)] }));
    expect([...decoded.channels[0]!]).toEqual([32767 / 32768, -1, 0]);
  });

  it('streams to a file and fills in the sizes on close', async () => {
    const path = join(folder, 'recording.wav');
    const writer = await WavFileWriter.create(path, 16000);
    await writer.write([ramp(16000)]);
    await writer.write([ramp(8000)]);
    expect(writer.durationSeconds).toBe(1.5);
    await writer.close();
    const bytes = readFileSync(path);
    expect(bytes.readUInt32LE(4)).toBe(36 + 24000 * 2);
    expect(bytes.readUInt32LE(40)).toBe(24000 * 2);
    expect(decodeWav(bytes).channels[0]).toHaveLength(24000);
  });

  it('reads a file whose writer never closed (a crash mid-recording) to its end', async () => {
    const path = join(folder, 'crashed.wav');
    const writer = await WavFileWriter.create(path, 16000, 2);
    await writer.write([ramp(3000), ramp(3000)]);
    // No close(): the header still says "open-ended".
    const decoded = decodeWav(readFileSync(path));
    expect(decoded.channels.map((channel) => channel.length)).toEqual([3000, 3000]);
    await writer.close();
  });

  it('refuses what is not a 16-bit PCM WAV, saying why', () => {
    expect(() => decodeWav(new TextEncoder().encode('not a wav file at all'))).toThrow(/not a WAV file/);
    const float = encodeWav({ sampleRate: 8000, channels: [ramp(10)] });
    new DataView(float.buffer).setUint16(34, 32, true);
    expect(() => decodeWav(float)).toThrow(/not 16-bit PCM/);
  });
});
