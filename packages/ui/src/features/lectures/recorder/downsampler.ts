/** Speech recognition takes 16 kHz mono audio. */
export const SPEECH_SAMPLE_RATE = 16_000;

/** Phases of the filter table at most; odd rates beyond that are rounded to the nearest phase. */
const MAX_PHASES = 4096;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window over [-1, 1]: about -74 dB of stopband for a few taps. */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

export interface DownsamplerOptions {
  /** Output rate (16 kHz by default). */
  outputRate?: number;
  /**
   * Where the low-pass filter is at half amplitude, as a share of the output's Nyquist
   * frequency. 0.8 at 16 kHz: speech up to about 5 kHz passes whole, 6.4 kHz is halved, and
   * from 8 kHz on (what would fold back into the band) is cut by about 74 dB.
   */
  cutoff?: number;
}

/**
 * Converts a stream of mono samples (floats in [-1, 1], any rate) to 16 kHz 16-bit samples with a
 * windowed-sinc low-pass filter evaluated at each output instant: a proper anti-aliasing
 * resampler, not sample dropping, which would fold everything above 8 kHz back into the speech
 * band. The filter runs on whole blocks as they come; output does not depend on how the input
 * was cut into blocks.
 */
export class Downsampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Input samples each side of an output instant that the filter reads. */
  private readonly halfWidth: number;
  /** Output instants fall on `phases` evenly spaced fractions of an input sample. */
  private readonly phases: number;
  /** Input samples between two output instants, in `phases`ths of a sample. */
  private readonly step: number;
  /** One row of 2 * halfWidth taps per phase, each row summing to 1 (unity gain at 0 Hz). */
  private readonly table: Float32Array;
  /** Input not yet used up: what the next output instants still need. */
  private buffer = new Float32Array(0);
  /** The next output instant, in `phases`ths of a sample from the start of `buffer`. */
  private position: number;

  constructor(inputRate: number, options: DownsamplerOptions = {}) {
    const outputRate = options.outputRate ?? SPEECH_SAMPLE_RATE;
    if (!(inputRate > 0) || !(outputRate > 0)) throw new RangeError('Sample rates must be positive');
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const common = gcd(Math.round(inputRate), Math.round(outputRate)) || 1;
    let phases = Math.round(outputRate) / common;
    let step = Math.round(inputRate) / common;
    if (phases > MAX_PHASES) {
      step = Math.round((inputRate / outputRate) * MAX_PHASES);
      phases = MAX_PHASES;
    }
    this.phases = phases;
    this.step = step;

    const nyquist = Math.min(inputRate, outputRate) / 2;
    const cutoffHz = (options.cutoff ?? 0.8) * nyquist;
    // The transition band runs from cutoff - (nyquist - cutoff) to nyquist; Blackman needs about
    // 5.5 / width taps for it.
    const transitionHz = 2 * (nyquist - cutoffHz);
    this.halfWidth = Math.max(2, Math.ceil((5.5 * inputRate) / transitionHz / 2));
    const fc = cutoffHz / inputRate;
    const taps = 2 * this.halfWidth;
    this.table = new Float32Array(phases * taps);
    for (let phase = 0; phase < phases; phase++) {
      const fraction = phase / phases;
      let sum = 0;
      for (let j = 0; j < taps; j++) {
        // Tap j reads input sample floor(t) - halfWidth + 1 + j; d is its distance from t.
        const d = fraction + this.halfWidth - 1 - j;
        const value = 2 * fc * sinc(2 * fc * d) * blackman(d / this.halfWidth);
        this.table[phase * taps + j] = value;
        sum += value;
      }
      for (let j = 0; j < taps; j++) this.table[phase * taps + j]! /= sum;
    }
    // Start with half a window of silence before the first sample, so output sample 0 is the
    // input's instant 0 and output lines up with the input's time.
    this.buffer = new Float32Array(this.halfWidth - 1);
    this.position = (this.halfWidth - 1) * phases;
  }

  /** Takes the next input samples; returns the output samples they complete. */
  push(input: Float32Array): Float32Array {
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    const taps = 2 * this.halfWidth;
    const out: number[] = [];
    for (;;) {
      const whole = Math.floor(this.position / this.phases);
      const first = whole - this.halfWidth + 1;
      if (first + taps > joined.length) break;
      const row = (this.position % this.phases) * taps;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += joined[first + j]! * this.table[row + j]!;
      out.push(acc);
      this.position += this.step;
    }
    // Keep only what the next output instant reads.
    const keepFrom = Math.max(0, Math.floor(this.position / this.phases) - this.halfWidth + 1);
    const drop = Math.min(keepFrom, joined.length);
    this.buffer = joined.slice(drop);
    this.position -= drop * this.phases;
    return Float32Array.from(out);
  }
}

/** Floats in [-1, 1] to signed 16-bit samples (clipped). */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = Math.round(value * 32767);
  }
  return out;
}

/** 16-bit samples as little-endian bytes (what `transcripts.liveAudio` takes), whatever this CPU's order. */
export function int16LittleEndian(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}
