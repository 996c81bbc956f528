import { basename, extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { AppError } from '../contract/index.js';
import { assertRegularFile, statReadableFile } from '../storage/readable-file.js';

export const SUPPORTED_AUDIO_SENTENCE =
  'Little Monster can import audio and video recordings in WAV, MP3, M4A/AAC, Ogg (Opus or Vorbis), FLAC, WebM, MKV, MOV and MP4.';

/** What the file's first bytes say it is; null when they match no format `file-type` knows. */
export interface SniffedType {
  ext: string;
  mime: string;
}

/** Checks that the file exists, is not empty, and is not plainly something other than audio or video. */
export async function sniffAudioFile(path: string): Promise<SniffedType | null> {
  const info = await statReadableFile(path);
  assertRegularFile(info);
  if (info.size === 0) {
    throw new AppError('INVALID_INPUT', 'This file is empty (0 bytes), so there is no audio to import.');
  }
  const sniffed = await fileTypeFromFile(path);
  if (!sniffed) return null;
  if (!isMediaType(sniffed)) throw notAudio(path, describe(sniffed));
  return { ext: sniffed.ext, mime: sniffed.mime };
}

function isMediaType({ ext, mime }: { ext: string; mime: string }): boolean {
  return (
    mime.startsWith('audio/') ||
    mime.startsWith('video/') ||
    ['ogx', 'mkv', 'mka', 'webm', 'asf'].includes(ext)
  );
}

const DESCRIPTIONS: Record<string, string> = {
  pdf: 'a PDF document',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  zip: 'a ZIP archive',
  docx: 'a Word document',
  pptx: 'a PowerPoint presentation',
  xlsx: 'an Excel spreadsheet',
  exe: 'a Windows program',
  elf: 'a program',
};

function describe({ ext, mime }: { ext: string; mime: string }): string {
  return DESCRIPTIONS[ext] ?? `a ${ext.toUpperCase()} file (${mime})`;
}

/** "This file is a PDF document, although its name ends in .mp3, not an audio or video recording…" */
export function notAudio(path: string, description: string | null): AppError {
  const extension = extname(basename(path)).slice(1).toLowerCase();
  const name = extension ? `, although its name ends in .${extension},` : '';
  const what = description
    ? `This file is ${description}${name} not an audio or video recording.`
    : `This file${name ? ` (its name ends in .${extension})` : ''} is not audio or video in any format Little Monster knows.`;
  return new AppError('INVALID_INPUT', `${what} ${SUPPORTED_AUDIO_SENTENCE}`, {
    found: description ?? 'unknown',
  });
}
