/**
 * The zip archive an Anki package is, read from disk entry by entry (yauzl), so a package with
 * gigabytes of media never has to fit in memory. Every entry is size-checked before it is
 * inflated, and yauzl stops an entry whose real size exceeds what its header declared: a zip bomb
 * fails before it costs memory or disk.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../../../contract/index.js';

/** More entries than any real package has (Anki decks carry tens of thousands of media files at most). */
const MAX_ENTRIES = 500_000;

export function invalidPackage(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

export class PackageArchive {
  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async open(path: string): Promise<PackageArchive> {
    const zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, file) =>
        error ? reject(error) : resolve(file),
      ),
    ).catch((error: Error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('NOT_FOUND', 'The package file is no longer there. Choose it again.');
      }
      throw invalidPackage(
        'This file is not an Anki package: .apkg and .colpkg files are zip archives, and this one is not. Export the deck from Anki again ("Anki Deck Package").',
      );
    });
    if (zip.entryCount > MAX_ENTRIES) {
      zip.close();
      throw invalidPackage(
        `This package holds ${zip.entryCount} files, more than any Anki export; it was not imported.`,
      );
    }
    const entries = new Map<string, Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: Entry) => {
          entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.once('end', resolve);
        zip.once('error', reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw invalidPackage(
        `This package is damaged (${(error as Error).message}). Export the deck from Anki again.`,
      );
    }
    return new PackageArchive(zip, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The size the entry declares once inflated (checked again while it inflates). */
  declaredSize(name: string): number | null {
    return this.entries.get(name)?.uncompressedSize ?? null;
  }

  /** The entry's whole content, refused before inflating when it declares more than `maxBytes`. */
  async read(name: string, maxBytes: number, what: string): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.chunks(name, maxBytes, what)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** The entry's content as it inflates; same size guard as `read`. */
  async *chunks(name: string, maxBytes: number, what: string): AsyncIterable<Uint8Array> {
    const entry = this.entries.get(name);
    if (!entry)
      throw invalidPackage(`This package is missing ${what} ("${name}"). Export the deck from Anki again.`);
    if (entry.isEncrypted())
      throw invalidPackage(`${capitalise(what)} in this package is encrypted, which Anki never does.`);
    if (entry.uncompressedSize > maxBytes) throw tooLarge(what, entry.uncompressedSize, maxBytes);
    const stream = await new Promise<Readable>((resolve, reject) =>
      this.zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))),
    ).catch((error: Error) => {
      throw invalidPackage(`${capitalise(what)} in this package cannot be read (${error.message}).`);
    });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      // yauzl says "too many bytes in the stream" when an entry inflates past its declared size.
      const message = (error as Error).message;
      if (/too many bytes/i.test(message)) throw tooLarge(what, Number.POSITIVE_INFINITY, maxBytes);
      throw invalidPackage(
        `${capitalise(what)} in this package is damaged (${message}). Export the deck from Anki again.`,
      );
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

export function tooLarge(what: string, bytes: number, maxBytes: number): AppError {
  const size = Number.isFinite(bytes)
    ? ` is ${formatBytes(bytes)}, which`
    : ' inflates to more than its header says and';
  return invalidPackage(
    `${capitalise(what)} in this package${size} is over the ${formatBytes(maxBytes)} limit, so nothing was imported. The package may be damaged or made to fill the disk.`,
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
