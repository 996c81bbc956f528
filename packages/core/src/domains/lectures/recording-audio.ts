import { rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type * as MediabunnyModule from 'mediabunny';
import { syncFile, syncFolder } from '../../storage/durable-files.js';

/** A file whose audio cannot be read back (damaged header, not WebM, no audio track). */
export class UnreadableRecordingError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableRecordingError';
  }
}

/** The end of a remuxed copy may differ from the live file's by rounding, never by whole packets. */
const REMUX_TOLERANCE_MS = 100;

export const FINALIZING_SUFFIX = '.finalizing.tmp';

type Mediabunny = typeof MediabunnyModule;

// Loaded on first use: only stopping and recovering a recording need a demuxer.
const loadMediabunny = (): Promise<Mediabunny> => import('mediabunny');

/**
 * The recording's length in milliseconds, read from its packets' timestamps: MediaRecorder writes
 * a live WebM (unknown-size Segment and Clusters, no Duration), so the header cannot say. Packets
 * cut off at the end are left out. 0 when the file holds no audio packet yet.
 */
export async function readRecordingDurationMs(path: string): Promise<number> {
  const mb = await loadMediabunny();
  const input = new mb.Input({ source: new mb.FilePathSource(path), formats: [mb.WEBM, mb.MATROSKA] });
  try {
    const track = await input.getPrimaryAudioTrack().catch((error: unknown) => {
      throw new UnreadableRecordingError(describe(error, mb));
    });
    if (!track) throw new UnreadableRecordingError('it has no audio track');
    const seconds = await track.computeDuration().catch((error: unknown) => {
      throw new UnreadableRecordingError(describe(error, mb));
    });
    return Math.max(0, Math.round(seconds * 1000));
  } finally {
    input.dispose();
  }
}

/**
 * Rewrites a finished live recording as a regular WebM with its duration and a seek index
 * (Cues), copying the Opus packets unchanged: players then show its length and seek at once,
 * instead of reporting an infinite duration. The copy is written beside the original, checked to
 * hold the same audio, flushed to the disk and renamed over it in one step; until then the
 * original is untouched, so a crash or a failure here loses nothing.
 */
export async function finalizeRecording(path: string): Promise<{ durationMs: number; bytes: number }> {
  const mb = await loadMediabunny();
  const expectedMs = await readRecordingDurationMs(path);
  const temporary = `${path}${FINALIZING_SUFFIX}`;
  const input = new mb.Input({ source: new mb.FilePathSource(path), formats: [mb.WEBM, mb.MATROSKA] });
  try {
    const output = new mb.Output({
      format: new mb.WebMOutputFormat(),
      target: new mb.FilePathTarget(temporary),
    });
    const conversion = await mb.Conversion.init({
      input,
      output,
      tracks: 'primary',
      video: { discard: true },
    });
    if (!conversion.isValid) {
      const reasons = conversion.discardedTracks.map((track) => track.reason).join(', ');
      throw new UnreadableRecordingError(`its audio cannot be copied (${reasons})`);
    }
    await conversion.execute();
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    input.dispose();
  }
  let durationMs: number;
  try {
    durationMs = await readRecordingDurationMs(temporary);
    if (Math.abs(durationMs - expectedMs) > REMUX_TOLERANCE_MS) {
      throw new Error(`the copy holds ${durationMs} ms of audio, the recording ${expectedMs} ms`);
    }
    await syncFile(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
  return { durationMs, bytes: (await stat(path)).size };
}

function describe(error: unknown, mb: Mediabunny): string {
  if (error instanceof mb.UnsupportedInputFormatError) return 'it is not WebM audio';
  return error instanceof Error ? error.message : String(error);
}
