/**
 * whisper reads audio 30 s at a time. A long recording is given to it in windows of at most
 * that length, cut at the quietest moment near each window's end so no word is cut in two.
 * Windows also give progress, let a cancel take effect within one window, and keep whisper's
 * memory (its spectrogram of the whole input) bounded for hours of audio.
 */
export interface AudioWindow {
  /** Sample indices, end exclusive. */
  start: number;
  end: number;
}

export const WINDOW_SEC = 30;
/** The end of a full window is moved back to the quietest moment of its last seconds. */
const SEARCH_SEC = 5;
const FRAME_SEC = 0.02;

export function planWindows(samples: Float32Array, rate: number, maxSec = WINDOW_SEC): AudioWindow[] {
  const { length } = samples;
  const max = Math.floor(maxSec * rate);
  const search = Math.min(Math.floor(SEARCH_SEC * rate), Math.floor(max / 2));
  const frame = Math.max(1, Math.round(FRAME_SEC * rate));
  const windows: AudioWindow[] = [];
  for (let start = 0; start < length;) {
    if (length - start <= max) {
      windows.push({ start, end: length });
      break;
    }
    const end = quietestCut(samples, start + max - search, start + max, frame);
    windows.push({ start, end });
    start = end;
  }
  return windows;
}

/** The middle of the frame with the least energy between `from` and `to`. */
function quietestCut(samples: Float32Array, from: number, to: number, frame: number): number {
  let best = to;
  let bestEnergy = Infinity;
  for (let at = from; at + frame <= to; at += frame) {
    let energy = 0;
    for (let i = at; i < at + frame; i++) energy += samples[i]! * samples[i]!;
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = at + (frame >> 1);
    }
  }
  return best;
}
