import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { AppError } from '../contract/index.js';
import { formatBytes } from '../format-bytes.js';
import { statReadableFile } from '../storage/readable-file.js';
import type { MaterialType } from './extracted-document.js';

/** Larger files are refused before anything is read: they would not fit the import's memory budget. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export const SUPPORTED_FORMATS_SENTENCE =
  'Little Monster can import PDFs, images (PNG, JPEG, WebP, TIFF), PowerPoint slides (.pptx), Word documents (.docx), Markdown and plain text.';

export type DetectedFormat = 'pdf' | 'png' | 'jpeg' | 'webp' | 'tiff' | 'pptx' | 'docx' | 'markdown' | 'text';

export interface DetectedFile {
  format: DetectedFormat;
  type: MaterialType;
  mimeType: string;
  bytes: number;
  /** Problems that do not stop the import, e.g. a name that says another type. */
  warnings: string[];
}

interface FormatInfo {
  type: MaterialType;
  mimeType: string;
  /** Completes "This file is …". */
  description: string;
  /** Names that say this format, to notice a misleading name. */
  extensions: string[];
}

const FORMATS: Record<DetectedFormat, FormatInfo> = {
  pdf: { type: 'pdf', mimeType: 'application/pdf', description: 'a PDF document', extensions: ['pdf'] },
  png: { type: 'image', mimeType: 'image/png', description: 'a PNG image', extensions: ['png'] },
  jpeg: {
    type: 'image',
    mimeType: 'image/jpeg',
    description: 'a JPEG image',
    extensions: ['jpg', 'jpeg', 'jfif'],
  },
  webp: { type: 'image', mimeType: 'image/webp', description: 'a WebP image', extensions: ['webp'] },
  tiff: { type: 'image', mimeType: 'image/tiff', description: 'a TIFF image', extensions: ['tif', 'tiff'] },
  pptx: {
    type: 'slides',
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    description: 'a PowerPoint presentation',
    extensions: ['pptx', 'ppsx', 'pptm', 'ppsm'],
  },
  docx: {
    type: 'document',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    description: 'a Word document',
    extensions: ['docx', 'docm'],
  },
  markdown: {
    type: 'markdown',
    mimeType: 'text/markdown',
    description: 'Markdown text',
    extensions: ['md', 'markdown', 'mdown', 'mkd', 'txt', 'text'],
  },
  text: {
    type: 'text',
    mimeType: 'text/plain',
    description: 'plain text',
    extensions: ['txt', 'text', 'md', 'markdown', 'mdown', 'mkd'],
  },
};

/** file-type's extension → the format we read it as (macro-enabled and show variants read the same). */
const FROM_FILE_TYPE: Record<string, DetectedFormat> = {
  pdf: 'pdf',
  png: 'png',
  apng: 'png',
  jpg: 'jpeg',
  webp: 'webp',
  tif: 'tiff',
  pptx: 'pptx',
  ppsx: 'pptx',
  pptm: 'pptx',
  ppsm: 'pptx',
  docx: 'docx',
  docm: 'docx',
};

/** Kinds students are likely to pick by mistake, named plainly, with what to do instead. */
const UNSUPPORTED: Record<string, { description: string; hint?: string }> = {
  zip: { description: 'a ZIP archive', hint: 'Unzip it and import the files inside.' },
  elf: { description: 'a program (ELF executable)' },
  exe: { description: 'a Windows program' },
  macho: { description: 'a macOS program' },
  heic: { description: 'a HEIC photo', hint: 'Export it as JPEG (most photo apps can) and import that.' },
  avif: { description: 'an AVIF image', hint: 'Save it as PNG or JPEG and import that.' },
  gif: { description: 'a GIF image', hint: 'Save it as PNG and import that.' },
  bmp: { description: 'a BMP image', hint: 'Save it as PNG and import that.' },
  cfb: {
    description: 'an older Microsoft Office file (.doc, .ppt or .xls)',
    hint: 'Save it as .docx or .pptx in Office and import that.',
  },
  xlsx: { description: 'an Excel spreadsheet' },
  odt: { description: 'an OpenDocument text', hint: 'Save it as .docx and import that.' },
  odp: { description: 'an OpenDocument presentation', hint: 'Save it as .pptx and import that.' },
  epub: { description: 'an EPUB e-book' },
  mp3: { description: 'an audio recording' },
  wav: { description: 'an audio recording' },
  m4a: { description: 'an audio recording' },
  mp4: { description: 'a video' },
};

const MARKDOWN_NAMES = new Set(['md', 'markdown', 'mdown', 'mkd']);
/** A heading or a fenced code block at the start of a line is Markdown that plain text rarely has. */
const MARKDOWN_SYNTAX = /^(#{1,6}[ \t]+\S|```|~~~)/m;
export const looksLikeMarkdown = (text: string) => MARKDOWN_SYNTAX.test(text);
const TEXT_SAMPLE_BYTES = 64 * 1024;

/** Finds what a file really is from its content (the name only breaks ties between text kinds). */
export async function detectFileType(
  file: { path: string; name: string },
  options: { maxBytes?: number } = {},
): Promise<DetectedFile> {
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const bytes = await sizeOf(file.path);
  if (bytes === 0) {
    throw new AppError('INVALID_INPUT', 'This file is empty (0 bytes), so there is nothing to import.');
  }
  if (bytes > maxBytes) {
    throw new AppError(
      'INVALID_INPUT',
      `This file is ${formatBytes(bytes, 'up')}, larger than the ${formatBytes(maxBytes)} Little Monster can import. Split it into smaller files and import those.`,
      { bytes, maxBytes },
    );
  }
  const nameExtension = extname(file.name).slice(1).toLowerCase();
  const sniffed = await fileTypeFromFile(file.path);
  let format: DetectedFormat;
  if (sniffed) {
    const known = FROM_FILE_TYPE[sniffed.ext];
    if (!known) throw unsupported(sniffed.ext, sniffed.mime, nameExtension);
    format = known;
  } else {
    format = await detectText(file.path, nameExtension);
  }
  const info = FORMATS[format];
  const warnings =
    nameExtension && isKnownExtension(nameExtension) && !info.extensions.includes(nameExtension)
      ? [`This file is ${info.description} although its name ends in .${nameExtension}.`]
      : [];
  return { format, type: info.type, mimeType: info.mimeType, bytes, warnings };
}

async function sizeOf(path: string): Promise<number> {
  const info = await statReadableFile(path);
  if (!info.isFile())
    throw new AppError('INVALID_INPUT', 'This is a folder, not a file. Choose the files inside it.');
  return info.size;
}

/** Valid UTF-8 without binary control characters is text; anything else is an unknown binary. */
async function detectText(path: string, nameExtension: string): Promise<DetectedFormat> {
  const sample = await readStart(path, TEXT_SAMPLE_BYTES);
  let text: string;
  try {
    // `stream: true` lets the sample end inside a multi-byte character.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    throw unsupported(
      null,
      null,
      nameExtension,
      'either text saved in an old character set or data of an unknown kind',
      'If it is text, open it in a text editor, save it with the encoding “UTF-8”, and import it again.',
    );
  }
  if (countBinaryControls(text) > text.length / 100)
    throw unsupported(null, null, nameExtension, 'data of an unknown kind, not a document');
  if (MARKDOWN_NAMES.has(nameExtension) || looksLikeMarkdown(text)) return 'markdown';
  return 'text';
}

/** Control characters text never has (tab, line breaks and form feed are fine). */
function countBinaryControls(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7f || (code < 0x20 && (code < 0x09 || code > 0x0d))) count++;
  }
  return count;
}

async function readStart(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isKnownExtension(extension: string): boolean {
  return (
    Object.values(FORMATS).some((info) => info.extensions.includes(extension)) ||
    extension in UNSUPPORTED ||
    extension === 'doc' ||
    extension === 'ppt'
  );
}

function unsupported(
  ext: string | null,
  mime: string | null,
  nameExtension: string,
  fallbackDescription?: string,
  fallbackHint?: string,
): AppError {
  const known = ext ? UNSUPPORTED[ext] : undefined;
  const description =
    known?.description ??
    fallbackDescription ??
    `a ${ext?.toUpperCase() ?? 'unknown'} file${mime ? ` (${mime})` : ''}`;
  const misleadingName =
    nameExtension && isKnownExtension(nameExtension) && ext !== nameExtension
      ? ` although its name ends in .${nameExtension}`
      : '';
  const hint = (known?.hint ?? fallbackHint) ? ` ${known?.hint ?? fallbackHint}` : '';
  return new AppError(
    'INVALID_INPUT',
    `This file is ${description}${misleadingName}, which Little Monster cannot import. ${SUPPORTED_FORMATS_SENTENCE}${hint}`,
    { found: ext ?? 'unknown', mimeType: mime },
  );
}
