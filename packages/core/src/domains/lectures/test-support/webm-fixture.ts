import { execFileSync, spawnSync } from 'node:child_process';
import { fixture } from '../../../ingest/test-support/fixtures.js';

/** `fixtures/audio/jfk.wav`: 11 s of real speech. */
export const SPEECH_WAV = fixture('audio/jfk.wav');

/** ffmpeg encodes and decodes test audio only; the app never runs it. */
function ffmpeg(program: 'ffmpeg' | 'ffprobe', args: string[]): Buffer {
  if (spawnSync(program, ['-version']).error) {
    throw new Error(
      `${program} is needed by the recording tests: run scripts/install-system-deps.sh (Debian package ffmpeg).`,
    );
  }
  return execFileSync(program, args, { maxBuffer: 256 * 1024 * 1024 });
}

export interface LiveRecording {
  /** The recorder's stream cut in chunks: the first holds the header and the first cluster, then one cluster each. */
  chunks: Buffer[];
  /** When each chunk's audio starts, in ms (the cluster's timestamp). */
  startsMs: number[];
  durationMs: number;
}

/**
 * Encodes a WAV file the way Chromium's MediaRecorder records the microphone: Opus at 32 kbps in
 * 60 ms frames, in a live WebM (unknown-size Segment and Clusters, no Duration, no Cues) of
 * about one-second clusters. ffmpeg (a test-only system package) encodes; mediabunny writes
 * the live layout, which ffmpeg's muxer cannot.
 */
export async function recordLikeMediaRecorder(wavPath: string): Promise<LiveRecording> {
  const encoded = ffmpeg('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-i', wavPath],
    ...['-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '60', '-f', 'webm', 'pipe:1'],
  ]);
  const mb = await import('mediabunny');
  const clusters: { position: number; timestamp: number }[] = [];
  const target = new mb.BufferTarget();
  const output = new mb.Output({
    format: new mb.WebMOutputFormat({
      appendOnly: true,
      onCluster: (_data, position, timestamp) => clusters.push({ position, timestamp }),
    }),
    target,
  });
  const input = new mb.Input({ source: new mb.BufferSource(encoded), formats: [mb.WEBM] });
  const conversion = await mb.Conversion.init({ input, output });
  await conversion.execute();
  const stream = Buffer.from(target.buffer!);
  const cuts = [...clusters.slice(1).map((cluster) => cluster.position), stream.length];
  const chunks = cuts.map((end, i) => stream.subarray(i === 0 ? 0 : cuts[i - 1], end));
  const track = await input.getPrimaryAudioTrack();
  const durationMs = Math.round((await track!.computeDuration()) * 1000);
  input.dispose();
  return { chunks, startsMs: clusters.map((cluster) => Math.round(cluster.timestamp * 1000)), durationMs };
}

/** How long the audio in a file is when decoded by ffmpeg (an independent decoder): ms of samples. */
export function decodedDurationMs(path: string): number {
  const pcm = ffmpeg('ffmpeg', [
    '-v',
    'error',
    '-i',
    path,
    '-ac',
    '1',
    '-ar',
    '16000',
    '-f',
    's16le',
    'pipe:1',
  ]);
  return Math.round((pcm.length / 2 / 16_000) * 1000);
}

/** The duration written in the file's header, as ffprobe reads it; null when the file does not say (a live WebM). */
export function headerDurationMs(path: string): number | null {
  const out = ffmpeg('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path])
    .toString()
    .trim();
  return out === '' || out === 'N/A' ? null : Math.round(Number(out) * 1000);
}
