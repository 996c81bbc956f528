/** A stretch of speech, in seconds from the first sample the detector was given. */
export interface SpeechRegion {
  startSec: number;
  endSec: number;
}

export interface SegmenterOptions {
  /** A frame at or above this speech probability starts (or continues) speech. */
  startThreshold: number;
  /** Below this, a frame counts as silence; in between, the current state holds (hysteresis). */
  stopThreshold: number;
  /** Speech shorter than this (a cough, a click) is dropped. */
  minSpeechSec: number;
  /**
   * A pause at least this long closes the utterance. It is also the delay before a closed
   * utterance is reported, so live captions want it short; shorter pauses stay inside one region.
   */
  minSilenceSec: number;
  /** Audio kept before and after each region, so soft word edges are not cut off. */
  padSec: number;
  /**
   * Longest region: longer speech is split at its latest pause (or, without one, where it
   * reaches the limit), e.g. to fit whisper's 30 s window. Infinity for no limit.
   */
  maxSpeechSec: number;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = {
  startThreshold: 0.5,
  stopThreshold: 0.35,
  minSpeechSec: 0.25,
  minSilenceSec: 0.5,
  padSec: 0.2,
  maxSpeechSec: Infinity,
};

/** A pause this long inside long speech is a place where it may be split. */
const MIN_SPLIT_PAUSE_SEC = 0.1;
/** Times are sums of frame lengths: compare them with a little slack for rounding. */
const EPSILON = 1e-6;

/**
 * Turns per-frame speech probabilities into speech regions with hysteresis. Regions are
 * returned as soon as they are final: when a long enough pause closes them, or at `finish`.
 * Pure state machine: the probabilities come from any model.
 */
export class SpeechSegmenter {
  private readonly options: SegmenterOptions;
  private frames = 0;
  /** Start of the open region, or null in silence. */
  private speechStart: number | null = null;
  /** Whether the open region's start gets padding (not when it continues a split region). */
  private padStart = true;
  /** Start of the silence that may end the open region. */
  private silenceStart: number | null = null;
  /** Latest pause inside the open region, where a too-long region can be split. */
  private lastPause: { start: number; end: number } | null = null;
  /** End of the last region reported: padding never reaches back over it. */
  private lastEnd = 0;

  constructor(
    private readonly frameSec: number,
    options: Partial<SegmenterOptions> = {},
  ) {
    this.options = { ...DEFAULT_SEGMENTER_OPTIONS, ...options };
    const { startThreshold, stopThreshold, minSilenceSec, padSec } = this.options;
    if (!(stopThreshold <= startThreshold))
      throw new RangeError('stopThreshold must not exceed startThreshold');
    if (!(padSec >= 0 && padSec <= minSilenceSec))
      throw new RangeError('padSec must be between 0 and minSilenceSec');
  }

  /** Seconds of audio seen so far. */
  get elapsedSec(): number {
    return this.frames * this.frameSec;
  }

  /** When the speech going on now began (before padding), or null during silence. */
  get speechSinceSec(): number | null {
    return this.silenceStart === null ? this.speechStart : null;
  }

  /** Feeds the next frame's speech probability; returns the regions it closed. */
  push(probability: number): SpeechRegion[] {
    const { startThreshold, stopThreshold, minSilenceSec, maxSpeechSec } = this.options;
    const frameStart = this.frames * this.frameSec;
    this.frames += 1;
    const now = this.elapsedSec;
    const closed: SpeechRegion[] = [];

    if (this.speechStart === null) {
      if (probability >= startThreshold) this.open(frameStart, true);
      return closed;
    }
    if (probability >= startThreshold) {
      if (this.silenceStart !== null && frameStart - this.silenceStart >= MIN_SPLIT_PAUSE_SEC - EPSILON) {
        this.lastPause = { start: this.silenceStart, end: frameStart };
      }
      this.silenceStart = null;
    } else if (probability < stopThreshold) {
      this.silenceStart ??= frameStart;
      if (now - this.silenceStart >= minSilenceSec - EPSILON) {
        this.close(this.silenceStart, true, closed);
        return closed;
      }
    }
    // Silence at the end does not count: the pause may yet close the region by itself.
    if ((this.silenceStart ?? now) - this.speechStart >= maxSpeechSec - EPSILON) this.split(now, closed);
    return closed;
  }

  /** Ends the stream at `totalSec` (the true audio length): closes any open region. */
  finish(totalSec = this.elapsedSec): SpeechRegion[] {
    const closed: SpeechRegion[] = [];
    if (this.speechStart !== null) this.close(this.silenceStart ?? totalSec, true, closed, totalSec);
    return closed;
  }

  private open(start: number, padStart: boolean): void {
    this.speechStart = start;
    this.padStart = padStart;
    this.silenceStart = null;
    this.lastPause = null;
  }

  private close(end: number, padEnd: boolean, into: SpeechRegion[], limit = this.elapsedSec): void {
    const start = this.speechStart!;
    this.speechStart = null;
    this.silenceStart = null;
    this.lastPause = null;
    if (end - start < this.options.minSpeechSec - EPSILON) return;
    const { padSec } = this.options;
    const region = {
      startSec: this.padStart ? Math.max(start - padSec, this.lastEnd, 0) : start,
      endSec: padEnd ? Math.min(end + padSec, limit) : end,
    };
    this.lastEnd = region.endSec;
    into.push(region);
  }

  /** Cuts a region that reached the longest allowed length, at its latest pause if it had one. */
  private split(now: number, into: SpeechRegion[]): void {
    if (this.silenceStart !== null) {
      // A pause has begun: the region simply ends there.
      this.close(this.silenceStart, true, into);
      return;
    }
    const pause = this.lastPause;
    // A pause near the region's start would leave a piece too short to be worth its own region.
    const cut =
      pause && pause.start - this.speechStart! >= this.options.maxSpeechSec / 2 - EPSILON
        ? pause
        : { start: now, end: now };
    this.close(cut.start, false, into);
    this.open(cut.end, false);
  }
}
