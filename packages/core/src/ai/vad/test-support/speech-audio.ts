/**
 * Test audio: real speech recordings read from 16-bit PCM WAV files, silence, seeded noise, and
 * signals assembled from them whose speech regions are known because the silence is ours.
 */
import { readFileSync } from 'node:fs';
import { fixture } from '../../../ingest/test-support/fixtures.js';

export const SAMPLE_RATE = 16000;

/** `fixtures/audio/jfk.wav`: 11 s of John F. Kennedy, 16 kHz mono. */
export const JFK_WAV = fixture('audio/jfk.wav');

/** LibriVox clips (from Debian's `pocketsphinx-testdata`) whose speech runs from their first to last sample. */
export const LIBRIVOX_CLIPS = ['0880', '0930'].map((id) =>
  fixture(`audio/librivox/sense_and_sensibility_01_austen_64kb-${id}.wav`),
);

/** Reads a 16 kHz mono 16-bit PCM WAV file (the only kind the fixtures are) into samples. */
export function readWav(path: string): Float32Array {
  const bytes = readFileSync(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a WAV file`);
  }
  let format: { channels: number; rate: number; bits: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = bytes.subarray(at + 8, at + 8 + size);
    if (id === 'fmt ') {
      format = { channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== SAMPLE_RATE || format.bits !== 16) {
        throw new Error(`${path} is not 16 kHz mono 16-bit PCM`);
      }
      const samples = new Float32Array(body.length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = body.readInt16LE(i * 2) / 32768;
      return samples;
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path} has no audio data`);
}

export const silence = (seconds: number) => new Float32Array(Math.round(seconds * SAMPLE_RATE));

/** Seeded white noise: Gaussian with standard deviation `level`, clipped to [-1, 1]. */
export function whiteNoise(seconds: number, level: number, seed = 1): Float32Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const samples = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  for (let i = 0; i < samples.length; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    samples[i] = Math.max(-1, Math.min(1, gaussian * level));
  }
  return samples;
}

/** Pieces end to end; returns the signal and where each piece starts and ends, in seconds. */
export function concat(pieces: Float32Array[]): {
  samples: Float32Array;
  spans: { startSec: number; endSec: number }[];
} {
  const samples = new Float32Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  const spans: { startSec: number; endSec: number }[] = [];
  let at = 0;
  for (const piece of pieces) {
    samples.set(piece, at);
    spans.push({ startSec: at / SAMPLE_RATE, endSec: (at + piece.length) / SAMPLE_RATE });
    at += piece.length;
  }
  return { samples, spans };
}
