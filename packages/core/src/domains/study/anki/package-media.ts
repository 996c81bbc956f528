/**
 * The media list of a package and its files. Legacy packages map zip entry names to file names
 * in JSON (`{"0": "cell.png"}`); current ones list protobuf `MediaEntry`s in a zstd stream, entry
 * i stored zstd-compressed as zip entry "i". Names are checked before anything is read: a name
 * that is a path ("../x", "a/b") makes the whole package refused.
 */
import type { ImportedMedia } from '../study-import.js';
import { invalidPackage, tooLarge, type PackageArchive } from './package-archive.js';
import { ProtoMessage } from './protobuf-fields.js';
import { zstdDecompress, zstdDecompressAll } from './zstd-stream.js';

/** Anki itself does not sync media files over 100 MB. */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;
const MAX_MEDIA_LIST_BYTES = 64 * 1024 * 1024;

export interface MediaListing {
  media: ImportedMedia[];
  /** Names the list gives whose file is not in the archive. */
  missing: string[];
}

export async function readMediaList(archive: PackageArchive, zstd: boolean): Promise<MediaListing> {
  if (!archive.has('media')) return { media: [], missing: [] };
  const raw = await archive.read('media', MAX_MEDIA_LIST_BYTES, 'the media list');
  const entries = zstd
    ? modernEntries(await zstdDecompressAll(raw, MAX_MEDIA_LIST_BYTES, 'The media list'))
    : legacyEntries(raw);
  const media: ImportedMedia[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    checkMediaName(entry.name);
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    if (!archive.has(entry.zipName)) {
      missing.push(entry.name);
      continue;
    }
    const what = `the media file "${entry.name}"`;
    // Every file is size-checked now, so a package is refused before anything is stored.
    const declared = zstd ? entry.declaredBytes : archive.declaredSize(entry.zipName);
    if (declared !== null && declared > MAX_MEDIA_BYTES) throw tooLarge(what, declared, MAX_MEDIA_BYTES);
    media.push({
      name: entry.name,
      declaredBytes: declared,
      read: zstd
        ? () =>
            zstdDecompress(
              archive.chunks(entry.zipName, MAX_MEDIA_BYTES, what),
              MAX_MEDIA_BYTES,
              `The media file "${entry.name}"`,
            )
        : () => archive.chunks(entry.zipName, MAX_MEDIA_BYTES, what),
    });
  }
  return { media, missing };
}

interface MediaEntry {
  name: string;
  zipName: string;
  declaredBytes: number | null;
}

function legacyEntries(raw: Buffer): MediaEntry[] {
  let map: unknown;
  try {
    map = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidPackage(
      'The media list in this package is damaged (not valid JSON). Export the deck from Anki again.',
    );
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw invalidPackage(
      'The media list in this package is damaged (not a list of files). Export the deck from Anki again.',
    );
  }
  return Object.entries(map as Record<string, unknown>).map(([zipName, name]) => {
    if (typeof name !== 'string') {
      throw invalidPackage(
        'The media list in this package is damaged (a file has no name). Export the deck from Anki again.',
      );
    }
    return { name: name.normalize('NFC'), zipName, declaredBytes: null };
  });
}

function modernEntries(raw: Buffer): MediaEntry[] {
  let list: ProtoMessage;
  try {
    list = new ProtoMessage(raw);
  } catch {
    throw invalidPackage('The media list in this package is damaged. Export the deck from Anki again.');
  }
  // MediaEntries { repeated MediaEntry entries = 1 }; MediaEntry { name = 1; size = 2; sha1 = 3; legacy_zip_filename = 255 }
  return list.messages(1).map((entry, index) => ({
    name: (entry.string(1) ?? '').normalize('NFC'),
    zipName: String(entry.uint(255) ?? index),
    declaredBytes: entry.uint(2) ?? null,
  }));
}

/** A media file name must be a plain file name: no folders, no way up, nothing invisible. */
export function checkMediaName(name: string): void {
  const plain =
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\\0]/.test(name) &&
    !/^[a-zA-Z]:/.test(name);
  if (!plain) {
    throw invalidPackage(
      `This package names a media file "${name}", which is not a plain file name (it points into other folders). Such a package may have been made to write outside its folder, so nothing was imported.`,
    );
  }
}
