import { useEffect, useRef, useState, type MouseEvent } from 'react';

/**
 * Decoding is done only for files up to this size (about 25 minutes at the recorder's 32 kbit/s,
 * a few minutes of a 128 kbit/s MP3): the whole file is decoded in memory at 8 kHz, about
 * 50 MB for that length. Longer recordings show a plain progress bar.
 */
export const WAVEFORM_MAX_BYTES = 6 * 1024 * 1024;
const PEAKS = 600;
/** Decoding at 8 kHz keeps memory down; peaks need no more. */
const DECODE_RATE = 8000;

/** The loudest sample of each of PEAKS equal stretches of the audio, 0..1. */
export function peaksOf(channels: readonly Float32Array[], count = PEAKS): Float32Array {
  const length = channels[0]?.length ?? 0;
  const peaks = new Float32Array(count);
  if (length === 0) return peaks;
  for (let bucket = 0; bucket < count; bucket++) {
    const start = Math.floor((bucket * length) / count);
    const end = Math.max(start + 1, Math.floor(((bucket + 1) * length) / count));
    let peak = 0;
    for (const channel of channels) {
      for (let i = start; i < end && i < length; i++) peak = Math.max(peak, Math.abs(channel[i]!));
    }
    peaks[bucket] = Math.min(1, peak);
  }
  return peaks;
}

async function decodePeaks(url: string, signal: AbortSignal): Promise<Float32Array | null> {
  if (typeof OfflineAudioContext === 'undefined') return null;
  const response = await fetch(url, { signal });
  if (!response.ok) return null;
  const data = await response.arrayBuffer();
  const context = new OfflineAudioContext(1, 1, DECODE_RATE);
  const audio = await context.decodeAudioData(data);
  const channels = Array.from({ length: audio.numberOfChannels }, (_, i) => audio.getChannelData(i));
  return peaksOf(channels);
}

/** The peaks of a recording small enough to decode, or null (too large, or it could not be read). */
function usePeaks(url: string | null, bytes: number): Float32Array | null {
  const [decoded, setDecoded] = useState<{ url: string; peaks: Float32Array | null } | null>(null);
  useEffect(() => {
    if (!url || bytes <= 0 || bytes > WAVEFORM_MAX_BYTES) return;
    const controller = new AbortController();
    decodePeaks(url, controller.signal).then(
      (peaks) => {
        if (!controller.signal.aborted) setDecoded({ url, peaks });
      },
      // The player itself says when the audio cannot be played; the bar stands in for the picture.
      () => {},
    );
    return () => controller.abort();
  }, [url, bytes]);
  return decoded && decoded.url === url && bytes <= WAVEFORM_MAX_BYTES ? decoded.peaks : null;
}

function draw(canvas: HTMLCanvasElement, peaks: Float32Array, played: number) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const scale = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * scale)) canvas.width = Math.round(width * scale);
  if (canvas.height !== Math.round(height * scale)) canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context || width === 0) return;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, width, height);
  // The theme's accent (CSS `color` of the canvas), full for what was played, faint for the rest.
  context.fillStyle = getComputedStyle(canvas).color;
  const barWidth = width / peaks.length;
  const middle = height / 2;
  for (let i = 0; i < peaks.length; i++) {
    const x = i * barWidth;
    context.globalAlpha = x / width < played ? 1 : 0.35;
    const half = Math.max(0.5, peaks[i]! * middle);
    context.fillRect(x, middle - half, Math.max(1, barWidth - 0.5), half * 2);
  }
  context.globalAlpha = 1;
}

/**
 * The recording's loudness over time with what was played so far; a click plays from there. For
 * a recording too long to decode, a plain bar of how far playback is. Mouse only: the player's
 * own controls are the keyboard way to move through the audio.
 */
export function Waveform({
  url,
  bytes,
  positionMs,
  durationMs,
  onSeek,
}: {
  url: string | null;
  bytes: number;
  positionMs: number;
  durationMs: number;
  onSeek(ms: number): void;
}) {
  const peaks = usePeaks(url, bytes);
  const canvas = useRef<HTMLCanvasElement>(null);
  const played = durationMs > 0 ? Math.min(1, positionMs / durationMs) : 0;

  useEffect(() => {
    if (peaks && canvas.current) draw(canvas.current, peaks, played);
  }, [peaks, played]);

  function seek(event: MouseEvent<HTMLElement>) {
    if (durationMs <= 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width <= 0) return;
    onSeek(Math.max(0, Math.min(1, (event.clientX - box.left) / box.width)) * durationMs);
  }

  if (peaks) {
    return (
      <canvas ref={canvas} className="waveform" aria-hidden="true" data-testid="waveform" onClick={seek} />
    );
  }
  return (
    <div className="waveform-bar" aria-hidden="true" onClick={seek}>
      <div className="waveform-bar-played" style={{ width: `${played * 100}%` }} />
    </div>
  );
}
