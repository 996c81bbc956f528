import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../format-bytes.js';
import { detectFileType, MAX_IMPORT_BYTES } from './detect-file-type.js';
import { makeDocx, makePptx } from './test-support/office-files.js';

describe('detectFileType', () => {
  let folder: string;
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return { path, name };
  };
  const png = () => {
    const canvas = createCanvas(40, 20);
    canvas.getContext('2d').fillRect(0, 0, 10, 10);
    return canvas.toBuffer('image/png');
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lm-detect-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('recognises each supported kind by its content', async () => {
    const canvas = createCanvas(8, 8);
    const cases: [string, string | Uint8Array, string, string][] = [
      ['scan.png', png(), 'png', 'image'],
      ['photo.jpg', canvas.toBuffer('image/jpeg'), 'jpeg', 'image'],
      ['photo.webp', canvas.toBuffer('image/webp'), 'webp', 'image'],
      ['slides.pptx', await makePptx([{ title: 'One', boxes: [] }]), 'pptx', 'slides'],
      ['essay.docx', await makeDocx([{ paragraph: 'Hello' }]), 'docx', 'document'],
      ['notes.md', 'Just a line, no syntax.\n', 'markdown', 'markdown'],
      ['notes.txt', 'Photosynthesis turns light into sugar.\n', 'text', 'text'],
      ['pasted', '# Week 3\n\nMitosis has four phases.\n', 'markdown', 'markdown'],
      ['no-extension', 'Ünïcödé text is fine: 細胞\n', 'text', 'text'],
    ];
    for (const [name, content, format, type] of cases) {
      const detected = await detectFileType(write(name, content));
      expect({ name, format: detected.format, type: detected.type, warnings: detected.warnings }).toEqual({
        name,
        format,
        type,
        warnings: [],
      });
    }
  });

  it('imports a PNG named .pdf as an image, and says so', async () => {
    const detected = await detectFileType(write('lecture.pdf', png()));
    expect(detected).toMatchObject({ format: 'png', type: 'image', mimeType: 'image/png' });
    expect(detected.warnings).toEqual(['This file is a PNG image although its name ends in .pdf.']);
  });

  it('refuses an empty file', async () => {
    await expect(detectFileType(write('empty.pdf', ''))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This file is empty (0 bytes), so there is nothing to import.',
    });
  });

  it('refuses a file over the size limit without reading it', async () => {
    const { path, name } = write('huge.pdf', '%PDF-1.7\n');
    truncateSync(path, MAX_IMPORT_BYTES + 1); // sparse: no disk space used
    await expect(detectFileType({ path, name })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is 201 MB, larger than the 200 MB Little Monster can import\./,
      ),
    });
  });

  it('names what an unsupported file is and what can be imported', async () => {
    const zip = new JSZip();
    zip.file('random.bin', randomBytes(4096));
    const archive = write('archive.zip', await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(detectFileType(archive)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is a ZIP archive, which Little Monster cannot import\. Little Monster can import PDFs, images \(PNG, JPEG, WebP, TIFF\).*Unzip it/,
      ),
    });
    // Node itself is an ELF program; named like a PDF it must still be refused for what it is.
    await expect(detectFileType({ path: process.execPath, name: 'homework.pdf' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is a program \(ELF executable\) although its name ends in \.pdf, which Little Monster cannot import\./,
      ),
    });
  });

  it('refuses binary data and text that is not UTF-8', async () => {
    await expect(detectFileType(write('data.bin', randomBytes(2048)))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^This file is (either text saved in an old character set or data of an unknown kind|data of an unknown kind, not a document)/,
      ),
    });
    await expect(
      detectFileType(write('latin1.txt', Buffer.from('caf\xe9 cr\xe8me', 'latin1'))),
    ).rejects.toMatchObject({
      // In words a student knows, with what to do.
      message: expect.stringMatching(
        /^This file is either text saved in an old character set or data of an unknown kind\b.* save it with the encoding “UTF-8”, and import it again\.$/,
      ),
    });
  });

  it('says when the file is gone', async () => {
    await expect(
      detectFileType({ path: join(folder, 'missing.pdf'), name: 'missing.pdf' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('formats sizes for messages', () => {
    expect([
      formatBytes(0),
      formatBytes(1536),
      formatBytes(5 * 1024 * 1024),
      formatBytes(2.5 * 1024 ** 3),
    ]).toEqual(['0 bytes', '1.5 KB', '5 MB', '2.5 GB']);
  });
});
