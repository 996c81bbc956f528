/**
 * Files made to hurt an importer, generated at test time (nothing hostile is committed): zip
 * bombs, XML entity bombs, lying headers, huge dimensions, truncated files. Each is small on
 * disk and says (or does) something that would cost a naive reader memory, time or a crash.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A Word package around `documentXml` (word/document.xml), as Word lays it out. */
function docxParts(documentXml: string | Uint8Array): Record<string, string | Uint8Array> {
  return {
    '[Content_Types].xml': `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': documentXml,
  };
}

/**
 * A zip of deflated parts, written here with Node's zlib (a bomb's hundred megabytes deflate in
 * a fraction of a second). `declared` overrides the uncompressed size the headers give a part.
 */
function zipOf(parts: Record<string, string | Uint8Array>, declared: Record<string, number> = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(parts)) {
    const data = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    const packed = deflateRawSync(data, { level: 9 });
    const nameBytes = Buffer.from(name);
    const size = declared[name] ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A paragraph of `count` repeated letters: XML that compresses about 1000 to 1. */
const repetitiveDocument = (bytes: number) => {
  const open = `${xmlHeader}<w:document ${W}><w:body><w:p><w:r><w:t>`;
  const close = '</w:t></w:r></w:p></w:body></w:document>';
  return open + 'a'.repeat(Math.max(0, bytes - open.length - close.length)) + close;
};

/**
 * A DOCX whose word/document.xml inflates to `inflatedBytes` (100 MB from a file of about
 * 100 KB). `lie`: its headers claim the part is 1 KB, as a bomb made to pass a size check would.
 */
export function zipBombDocx(inflatedBytes: number, options: { lie?: boolean } = {}): Buffer {
  return zipOf(
    docxParts(repetitiveDocument(inflatedBytes)),
    options.lie ? { 'word/document.xml': 1024 } : {},
  );
}

/** A DOCX whose document declares entities that expand exponentially ("billion laughs"). */
export function entityBombDocx(): Buffer {
  const levels = Array.from({ length: 10 }, (_, level) =>
    level === 0
      ? '<!ENTITY lol0 "lollollollollollollollollollol">'
      : `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`,
  ).join('');
  const document = `${xmlHeader}<!DOCTYPE w:document [${levels}]><w:document ${W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;
  return zipOf(docxParts(document));
}

/** A DOCX whose document pulls a file of this computer in through an external entity. */
export function externalEntityDocx(secretPath: string): Buffer {
  const document = `${xmlHeader}<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file://${secretPath}">]><w:document ${W}><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>`;
  return zipOf(docxParts(document));
}

/** A DOCX with `entries` extra parts of `eachBytes` each: every part small, the sum huge. */
export function manyPartsDocx(entries: number, eachBytes: number): Buffer {
  const parts = docxParts(repetitiveDocument(2000));
  const filler = 'b'.repeat(eachBytes);
  for (let index = 0; index < entries; index++) parts[`word/part${index}.xml`] = `<x>${filler}</x>`;
  return zipOf(parts);
}

/**
 * A PNG header saying `width` x `height` (RGB), with real, valid image data of a few bytes:
 * the decoder would allocate the whole bitmap from the header before reading any of it.
 */
export function hugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    // The first row of pixels only: a decoder that trusts the header fails late, after allocating.
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JFIF JPEG whose baseline frame header (SOF0) says `width` x `height`, then nothing a decoder can use. */
export function hugeJpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ]);
  const sof = Buffer.from([
    0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
  ]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

/** A lossless WebP (VP8L) header saying `width` x `height` (up to 16384 each). */
export function hugeWebp(width: number, height: number): Buffer {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  const vp8l = Buffer.alloc(5);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(bits >>> 0, 1);
  const payload = Buffer.concat([vp8l, Buffer.alloc(16)]);
  const chunkHeader = Buffer.alloc(8);
  chunkHeader.write('VP8L', 0, 'latin1');
  chunkHeader.writeUInt32LE(payload.length, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunkHeader.length + payload.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunkHeader, payload]);
}

/** A little-endian TIFF whose first image says `width` x `height`, 8-bit grey, uncompressed. */
export function hugeTiff(width: number, height: number): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 4, width], // ImageWidth (LONG)
    [257, 4, height], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 8], // StripOffsets
    [278, 4, height], // RowsPerStrip
    [279, 4, width * height], // StripByteCounts
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, value], index) => {
    const at = 2 + index * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(1, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value >>> 0, at + 8);
  });
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08 + 16, 0, 0, 0]);
  return Buffer.concat([header, Buffer.alloc(16), ifd]);
}

/**
 * A minimal PDF with one real page whose page tree says it has `count` pages: a reader that
 * believes /Count loops over pages that are not there.
 */
export function pageCountLiePdf(count: number): Buffer {
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [3 0 R] /Count ${count} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    streamObject('BT /F1 24 Tf 72 700 Td (The only real page.) Tj ET'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A PDF whose page tree nests `depth` /Pages nodes before reaching its one page. */
export function deepPageTreePdf(depth: number): Buffer {
  const objects: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let level = 0; level < depth; level++) {
    const self = objects.length + 1;
    objects.push(
      `<< /Type /Pages /Kids [${self + 1} 0 R] /Count 1${level ? ` /Parent ${self - 1} 0 R` : ''} >>`,
    );
  }
  const pageNumber = objects.length + 1;
  objects.push(
    `<< /Type /Page /Parent ${pageNumber - 1} 0 R /MediaBox [0 0 612 792] /Contents ${pageNumber + 1} 0 R /Resources << /Font << /F1 ${pageNumber + 2} 0 R >> >> >>`,
    streamObject('BT /F1 24 Tf 72 700 Td (Deep down.) Tj ET'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  );
  return pdfOf(objects);
}

/** A PDF whose page content nests arrays `depth` deep (a parser that recurses runs out of stack). */
export function deepArrayPdf(depth: number): Buffer {
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >>`,
  ]);
}

/** A one-page PDF whose page draws an embedded image of `width` x `height` pixels (Flate, grey). */
export function hugeImagePdf(width: number, height: number): Buffer {
  // One row of data: the image's dictionary, not its data, says how big it is.
  const data = deflateSync(Buffer.alloc(width));
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>',
    streamObject('q 612 0 0 792 0 0 cm /Im1 Do Q'),
    {
      dictionary: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${data.length} >>`,
      stream: data,
    },
  ]);
}

type PdfObject = string | { dictionary: string; stream: Buffer };
const streamObject = (content: string): PdfObject => ({
  dictionary: `<< /Length ${Buffer.byteLength(content)} >>`,
  stream: Buffer.from(content, 'latin1'),
});

/** Objects numbered from 1, with a correct cross-reference table. */
function pdfOf(objects: PdfObject[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const body =
      typeof object === 'string'
        ? Buffer.from(`${index + 1} 0 obj\n${object}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${index + 1} 0 obj\n${object.dictionary}\nstream\n`, 'latin1'),
            object.stream,
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(body);
    length += body.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

/** A WAV header claiming `claimedBytes` of 48 kHz stereo samples, followed by `actualBytes` of silence. */
export function lyingWav(
  claimedBytes: number,
  actualBytes: number,
  options: { sampleRate?: number; channels?: number } = {},
): Buffer {
  const sampleRate = options.sampleRate ?? 48_000;
  const channels = options.channels ?? 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE((36 + claimedBytes) >>> 0, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(claimedBytes >>> 0, 40);
  return Buffer.concat([header, Buffer.alloc(actualBytes)]);
}

/** Plain text of about `bytes` (paragraphs of ordinary sentences), written in 1 MiB pieces. */
export async function writeLargeText(path: string, bytes: number): Promise<void> {
  const paragraph =
    'The mitochondrion is the site of aerobic respiration, where pyruvate is oxidised and the energy of its electrons ' +
    'is kept as a proton gradient across the inner membrane.\nATP synthase lets the protons back and makes ATP as they pass; ' +
    'this is chemiosmosis, first proposed by Peter Mitchell in 1961.\n\n';
  const piece = paragraph.repeat(Math.ceil((1 << 20) / paragraph.length)).slice(0, 1 << 20);
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += piece.length) {
    if (!out.write(piece.slice(0, Math.min(piece.length, bytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Keeps the first `fraction` of a file's bytes, as a download cut short does. */
export const truncated = (bytes: Buffer, fraction: number) =>
  bytes.subarray(0, Math.floor(bytes.length * fraction));
