import { XMLParser } from 'fast-xml-parser';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../contract/index.js';
import { formatBytes } from '../format-bytes.js';

/** An element as fast-xml-parser's ordered mode gives it: `{ tag: children, ':@': attributes }`. */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true, // runs, breaks and shapes must stay in document order
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false, // " world" in a text run keeps its space
  parseTagValue: false,
  parseAttributeValue: false,
});

/**
 * What an Office file may unpack to. A zip says how big each part is before anything is
 * inflated, so a bomb (a 100 KB file holding a part of gigabytes) is refused from its directory;
 * and as each part inflates it is held to the size it declared, so a zip that lies is stopped
 * at that size. Only the XML parts are inflated: pictures and media are never read.
 */
export const OOXML_LIMITS = {
  maxEntries: 20_000,
  /** XML parts (a 1,000-slide deck has about 4,000: each slide, its notes and their links). */
  maxXmlParts: 10_000,
  /** Word's document.xml for a thousand-page thesis is about 20 MB. */
  maxPartBytes: 64 * 1024 * 1024,
  /** Every XML part, all of which are inflated. */
  maxTotalBytes: 256 * 1024 * 1024,
  /**
   * Every part, pictures and media included, as the zip declares them. Media hardly compress, so
   * a real file (at most 200 MB) unpacks to little more than its size.
   */
  maxUnpackedBytes: 1024 * 1024 * 1024,
  /** XML deflates 5-20 times; far more is a part made to be small on disk. */
  maxRatio: 200,
  /** Small parts may compress however well they like. */
  ratioFromBytes: 1024 * 1024,
};

/**
 * A Word document's text lives in a handful of parts (the document, headers, footers, notes,
 * comments): even a long thesis with a section per chapter has a few hundred.
 */
export const WORD_LIMITS: typeof OOXML_LIMITS = {
  ...OOXML_LIMITS,
  maxXmlParts: 1_000,
  maxTotalBytes: 128 * 1024 * 1024,
};

/** The XML parts of an Office file (Open Packaging Conventions), inflated within OOXML_LIMITS. */
export interface OoxmlPackage {
  /** The part's text, or null when the package has no such part. */
  part(path: string): string | null;
  /** Every XML part's path. */
  paths(): string[];
}

const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name) && !name.endsWith('/');

/**
 * Opens an Office file's XML parts. `what` names the kind of file in messages ("Word document").
 * Refuses, with a message saying so, a damaged zip, one that unpacks to more than the limits,
 * and XML with a document type declaration (Office never writes one; it is how entity bombs and
 * external entities get in).
 */
export async function openOoxml(path: string, what: string, limits = OOXML_LIMITS): Promise<OoxmlPackage> {
  const damaged = () =>
    new AppError(
      'INVALID_INPUT',
      `This ${what} is damaged and could not be opened. Save it again in Office and import the new copy.`,
    );
  const tooBig = (detail: string) =>
    new AppError(
      'INVALID_INPUT',
      `This ${what} unpacks to far more than it holds on disk (${detail}), as files made to exhaust a computer's memory do, so Little Monster did not open it. If it is a real document, save it again in Office and import the new copy.`,
    );
  const zip = await openZip(path).catch(() => {
    throw damaged();
  });
  const tooManyParts = (count: number, max: number) =>
    new AppError(
      'INVALID_INPUT',
      `This ${what} is made of ${count.toLocaleString('en')} parts, far more than a real ${what} has (Little Monster reads up to ${max.toLocaleString('en')}), as files made to exhaust a computer's memory are, so Little Monster did not open it. If it is a real document, save it again in Office and import the new copy.`,
    );
  try {
    if (zip.entryCount > limits.maxEntries) throw tooManyParts(zip.entryCount, limits.maxEntries);
    const all = await listEntries(zip).catch(() => {
      throw damaged();
    });
    const unpacked = all.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (unpacked > limits.maxUnpackedBytes) throw tooBig(`${formatBytes(unpacked, 'up')} in all`);
    const entries = all.filter((entry) => isXmlPart(entry.fileName));
    if (entries.length > limits.maxXmlParts) throw tooManyParts(entries.length, limits.maxXmlParts);
    let total = 0;
    for (const entry of entries) {
      const size = entry.uncompressedSize;
      total += size;
      if (size > limits.maxPartBytes) throw tooBig(`one part is ${formatBytes(size, 'up')}`);
      if (size > limits.ratioFromBytes && size > limits.maxRatio * Math.max(1, entry.compressedSize))
        throw tooBig(
          `one part is ${Math.round(size / Math.max(1, entry.compressedSize))} times its packed size`,
        );
    }
    if (total > limits.maxTotalBytes) throw tooBig(`${formatBytes(total, 'up')} of text`);
    const parts = new Map<string, string>();
    for (const entry of entries) {
      // yauzl stops a part that inflates past its declared size ("too many bytes in the stream").
      const bytes = await readEntry(zip, entry).catch((error: Error) => {
        throw /too many bytes/.test(error.message) ? tooBig('a part is larger than its zip says') : damaged();
      });
      const text = xmlText(bytes);
      if (/<!DOCTYPE/i.test(text)) {
        throw new AppError(
          'INVALID_INPUT',
          `This ${what} contains a document type declaration, which Office never writes: it can be used to make a reader expand text endlessly or read other files, so Little Monster did not open it.`,
        );
      }
      parts.set(entry.fileName, text);
    }
    return { part: (name) => parts.get(name) ?? null, paths: () => [...parts.keys()] };
  } finally {
    zip.close();
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

/** The zip's directory: names and declared sizes, nothing inflated. */
function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/** One part, inflated as a stream (held to its declared size by yauzl). */
function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    }),
  );
}

/** XML parts are UTF-8, or UTF-16 with a byte-order mark. */
function xmlText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return new TextDecoder().decode(bytes);
}

/** The parsed part at `path`, or null when the package has no such part. */
export function readXmlPart(pkg: OoxmlPackage, path: string): XmlNode[] | null {
  const text = pkg.part(path);
  return text === null ? null : (parser.parse(text) as XmlNode[]);
}

export function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag ? node[tag] : undefined;
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

export function attributeOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, string> | undefined;
  return attributes?.[name];
}

export function textValueOf(node: XmlNode): string | undefined {
  const value = node['#text'];
  return value === undefined ? undefined : String(value);
}

/** Direct children named `tag`. */
export function childElements(node: XmlNode, tag: string): XmlNode[] {
  return childrenOf(node).filter((child) => tagOf(child) === tag);
}

/** The first descendant (depth first, in order) named `tag`. */
export function findFirst(nodes: XmlNode[], tag: string): XmlNode | undefined {
  for (const node of nodes) {
    if (tagOf(node) === tag) return node;
    const found = findFirst(childrenOf(node), tag);
    if (found) return found;
  }
  return undefined;
}

/** Every descendant named `tag`, in document order (not looking inside matches). */
export function findAll(nodes: XmlNode[], tag: string, into: XmlNode[] = []): XmlNode[] {
  for (const node of nodes) {
    if (tagOf(node) === tag) into.push(node);
    else findAll(childrenOf(node), tag, into);
  }
  return into;
}

/** Relationship id → target path, resolved against the folder of the part that owns them. */
export function readRelationships(
  pkg: OoxmlPackage,
  partPath: string,
): Map<string, { target: string; type: string }> {
  const slash = partPath.lastIndexOf('/');
  const folder = partPath.slice(0, slash + 1);
  const relsPath = `${folder}_rels/${partPath.slice(slash + 1)}.rels`;
  const relationships = new Map<string, { target: string; type: string }>();
  for (const rel of findAll(readXmlPart(pkg, relsPath) ?? [], 'Relationship')) {
    const id = attributeOf(rel, 'Id');
    const target = attributeOf(rel, 'Target');
    if (!id || !target || attributeOf(rel, 'TargetMode') === 'External') continue;
    relationships.set(id, { target: resolvePartPath(folder, target), type: attributeOf(rel, 'Type') ?? '' });
  }
  return relationships;
}

function resolvePartPath(folder: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `${folder}${target}`.split('/');
  const resolved: string[] = [];
  for (const part of parts) {
    if (part === '..') resolved.pop();
    else if (part !== '.' && part !== '') resolved.push(part);
  }
  return resolved.join('/');
}

/** `dc:title` from docProps/core.xml, when the author set one. */
export function coreTitle(pkg: OoxmlPackage): string | null {
  const title = findFirst(readXmlPart(pkg, 'docProps/core.xml') ?? [], 'dc:title');
  const text = title
    ? childrenOf(title)
        .map((node) => textValueOf(node) ?? '')
        .join('')
        .trim()
    : '';
  return text || null;
}
