import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@little-monster/core/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFile } from '../shared/engine-protocol.js';
import {
  lectureIdOfUrl,
  materialFileUrl,
  materialIdOfUrl,
  recordingFileUrl,
  storedFileOfUrl,
} from '../shared/material-file-url.js';
import {
  MATERIAL_FILE_PRIVILEGES,
  respondWithMaterialFile,
  respondWithRecordingFile,
  respondWithStoredFile,
  type StoredFileLookup,
} from './material-files.js';

const ID = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';

/** The engine's side, as EngineHost.materialFile and recordingFile answer: the files it knows. */
function storeWith(files: Record<string, StoredFile>, notFound = 'That material no longer exists.') {
  const asked: string[] = [];
  const lookup: StoredFileLookup = (id) => {
    asked.push(id);
    const file = files[id];
    const result: Result<StoredFile> = file
      ? { ok: true, value: file }
      : { ok: false, error: { code: 'NOT_FOUND', message: notFound } };
    return Promise.resolve(result);
  };
  return { lookup, asked };
}

const get = (url: string, init: RequestInit = {}) => new Request(url, init);

describe('lm-file URLs', () => {
  it('name a material by its id under the "material" host', () => {
    expect(materialFileUrl(ID)).toBe(`lm-file://material/${ID}`);
    expect(materialIdOfUrl(`lm-file://material/${ID}`)).toBe(ID);
    expect(materialIdOfUrl(`lm-file://material/${ID.toUpperCase()}`)).toBe(ID);
    // pdf.js or the page may add a query or fragment; the file is the same.
    expect(materialIdOfUrl(`lm-file://material/${ID}#page=2`)).toBe(ID);
    expect(materialIdOfUrl(`lm-file://material/${ID}?v=1`)).toBe(ID);
  });

  it('name nothing else: no paths, no other hosts or schemes, nothing but a UUID', () => {
    for (const url of [
      'lm-file://material/',
      'lm-file://material/not-a-uuid',
      `lm-file://material/${ID}/extra`,
      `lm-file://material/..%2F..%2Fetc%2Fpasswd`,
      `lm-file://material/%2E%2E/${ID}x`,
      `lm-file://material/${ID}%00`,
      `lm-file://material/${encodeURIComponent('/etc/passwd')}`,
      `lm-file://other/${ID}`,
      `lm-file://user:pw@material/${ID}`,
      `lm-file://material:99/${ID}`,
      `lm-file:///${ID}`,
      `file:///material/${ID}`,
      `https://material/${ID}`,
      'not a url',
      '',
    ]) {
      expect(materialIdOfUrl(url), url).toBeNull();
    }
  });

  it('name a recording by its lecture id under the "recording" host', () => {
    expect(recordingFileUrl(ID)).toBe(`lm-file://recording/${ID}`);
    expect(lectureIdOfUrl(`lm-file://recording/${ID.toUpperCase()}?t=3`)).toBe(ID);
    expect(storedFileOfUrl(recordingFileUrl(ID))).toEqual({ kind: 'recording', id: ID });
    expect(storedFileOfUrl(materialFileUrl(ID))).toEqual({ kind: 'material', id: ID });
    // A material is never a recording, nor the other way round.
    expect(lectureIdOfUrl(materialFileUrl(ID))).toBeNull();
    expect(materialIdOfUrl(recordingFileUrl(ID))).toBeNull();
    for (const url of [
      'lm-file://recording/',
      `lm-file://recording/${ID}/extra`,
      'lm-file://recording/..%2F..%2Fetc%2Fpasswd',
      `lm-file://recordings/${ID}`,
      `lm-file://user@recording/${ID}`,
    ]) {
      expect(storedFileOfUrl(url), url).toBeNull();
    }
  });

  it('keep dot segments inside the host, as the URL standard resolves them', () => {
    // The same URL as lm-file://material/<id>: nothing can climb out of "material".
    expect(materialIdOfUrl(`lm-file://material/x/../../${ID}`)).toBe(ID);
    expect(materialIdOfUrl(`lm-file://material/%2e%2e/${ID}`)).toBe(ID);
  });

  it('belong to a scheme with only the privileges the viewer needs', () => {
    expect(MATERIAL_FILE_PRIVILEGES).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
    expect(MATERIAL_FILE_PRIVILEGES.codeCache).toBeUndefined();
    expect(MATERIAL_FILE_PRIVILEGES.allowExtensions).toBeUndefined();
  });
});

describe('an lm-file request', () => {
  let dir: string;
  let pdfPath: string;
  const pdfBytes = Buffer.from('%PDF-1.4\n% a small stand-in for a stored PDF\n%%EOF\n');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lm-file-'));
    pdfPath = join(dir, 'c0ffee.blob');
    writeFileSync(pdfPath, pdfBytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams the stored original with its type, size and name', async () => {
    const { lookup } = storeWith({
      [ID]: { path: pdfPath, mimeType: 'application/pdf', name: 'Lecture 3 – Kinetics.pdf' },
    });
    const response = await respondWithMaterialFile(get(materialFileUrl(ID)), lookup);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(pdfBytes.length));
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('Lecture 3 – Kinetics.pdf')}`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdfBytes);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { lookup } = storeWith({ [ID]: { path: pdfPath, mimeType: 'application/pdf', name: 'a.pdf' } });
    const response = await respondWithMaterialFile(get(materialFileUrl(ID), { method: 'HEAD' }), lookup);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(pdfBytes.length));
    expect(await response.text()).toBe('');
  });

  it('is 404 for a material the engine does not know, with its message', async () => {
    const { lookup } = storeWith({});
    const response = await respondWithMaterialFile(get(materialFileUrl(ID)), lookup);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('That material no longer exists.');
  });

  it('is 404 without asking the engine for a URL that names no material', async () => {
    const { lookup, asked } = storeWith({});
    for (const url of ['lm-file://material/..%2F..%2Fetc%2Fpasswd', `lm-file://other/${ID}`]) {
      const response = await respondWithMaterialFile(get(url), lookup);
      expect(response.status).toBe(404);
    }
    expect(asked).toEqual([]);
  });

  it('is 404 when the stored file has gone, or is not a file', async () => {
    const { lookup } = storeWith({
      [ID]: { path: join(dir, 'deleted.blob'), mimeType: 'application/pdf', name: 'a.pdf' },
      '11111111-2222-4333-8444-555555555555': { path: dir, mimeType: 'application/pdf', name: 'b.pdf' },
    });
    const missing = await respondWithMaterialFile(get(materialFileUrl(ID)), lookup);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/stored file is missing/);
    const folder = await respondWithMaterialFile(
      get(materialFileUrl('11111111-2222-4333-8444-555555555555')),
      lookup,
    );
    expect(folder.status).toBe(404);
  });

  it('is 503 while the engine restarts, with its message', async () => {
    const lookup: StoredFileLookup = () =>
      Promise.resolve({
        ok: false,
        error: {
          code: 'ENGINE_UNAVAILABLE',
          message: 'The study engine is restarting. Try again in a moment.',
        },
      });
    const response = await respondWithMaterialFile(get(materialFileUrl(ID)), lookup);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/restarting/);
  });

  it('only reads: other methods are refused before the engine is asked', async () => {
    const { lookup, asked } = storeWith({
      [ID]: { path: pdfPath, mimeType: 'application/pdf', name: 'a.pdf' },
    });
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await respondWithMaterialFile(get(materialFileUrl(ID), { method, body: 'x' }), lookup);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect(asked).toEqual([]);
  });

  it('is never opened as a page of its own', async () => {
    const { lookup, asked } = storeWith({ [ID]: { path: pdfPath, mimeType: 'text/html', name: 'a.html' } });
    const navigation = get(materialFileUrl(ID), { headers: { 'Sec-Fetch-Mode': 'navigate' } });
    expect((await respondWithMaterialFile(navigation, lookup)).status).toBe(403);
    expect(asked).toEqual([]);
    // Even embedded, a stored file can run nothing.
    const embedded = await respondWithMaterialFile(get(materialFileUrl(ID)), lookup);
    expect(embedded.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    await embedded.body?.cancel();
  });
});

describe('an lm-file recording request', () => {
  const LECTURE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
  const MIME = 'audio/webm;codecs=opus';
  let dir: string;
  let audioPath: string;
  let emptyPath: string;
  // Stands in for a recording: what matters here is which bytes come back, not what they encode.
  const audio = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lm-recording-'));
    audioPath = join(dir, `${LECTURE}.webm`);
    emptyPath = join(dir, 'empty.webm');
    writeFileSync(audioPath, audio);
    writeFileSync(emptyPath, '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const recordings = () =>
    storeWith(
      { [LECTURE]: { path: audioPath, mimeType: MIME, name: 'Lecture 4 – Entropy.webm' } },
      'That lecture no longer exists. It may have been deleted.',
    );
  const withRange = (range: string, method = 'GET') =>
    get(recordingFileUrl(LECTURE), { method, headers: { Range: range } });

  it('streams the whole recording, saying it can be read in ranges and must not be cached', async () => {
    const response = await respondWithRecordingFile(get(recordingFileUrl(LECTURE)), recordings().lookup);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(MIME);
    expect(response.headers.get('content-length')).toBe(String(audio.length));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-range')).toBeNull();
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('Lecture 4 – Entropy.webm')}`,
    );
    expect(Buffer.from(await response.arrayBuffer())).toEqual(audio);
  });

  it('answers a range with 206 and exactly those bytes, as a seeking <audio> asks', async () => {
    const { lookup } = recordings();
    const cases: [string, number, number][] = [
      ['bytes=0-', 0, 4095],
      ['bytes=1000-1999', 1000, 1999],
      ['bytes=4000-', 4000, 4095],
      ['bytes=4000-9999', 4000, 4095],
      ['bytes=-96', 4000, 4095],
      ['bytes=4095-4095', 4095, 4095],
    ];
    for (const [range, start, end] of cases) {
      const response = await respondWithRecordingFile(withRange(range), lookup);
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${audio.length}`);
      expect(response.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await response.arrayBuffer()), range).toEqual(audio.subarray(start, end + 1));
    }
  });

  it('is 416 for a range past the end, saying how long the recording is', async () => {
    const { lookup } = recordings();
    for (const range of ['bytes=4096-', 'bytes=5000-6000', 'bytes=-0']) {
      const response = await respondWithRecordingFile(withRange(range), lookup);
      expect(response.status, range).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${audio.length}`);
      expect(await response.text()).toMatch(/does not exist/);
    }
  });

  it('sends the whole recording for a range it does not serve', async () => {
    const { lookup } = recordings();
    for (const range of ['bytes=0-10,20-30', 'bytes=200-100', 'seconds=1-2']) {
      const response = await respondWithRecordingFile(withRange(range), lookup);
      expect(response.status, range).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(audio.length);
    }
  });

  it('answers HEAD with the whole length and no body, whatever the range', async () => {
    const response = await respondWithRecordingFile(withRange('bytes=10-19', 'HEAD'), recordings().lookup);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(audio.length));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(await response.text()).toBe('');
  });

  it('serves a recording with no audio yet as empty, and no range of it', async () => {
    const { lookup } = storeWith({ [LECTURE]: { path: emptyPath, mimeType: MIME, name: 'a.webm' } });
    const whole = await respondWithRecordingFile(get(recordingFileUrl(LECTURE)), lookup);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe('0');
    expect(await whole.text()).toBe('');
    const part = await respondWithRecordingFile(withRange('bytes=0-'), lookup);
    expect(part.status).toBe(416);
    expect(part.headers.get('content-range')).toBe('bytes */0');
  });

  it('lets a player stop reading part-way (seeking again) without leaving the file open', async () => {
    const { lookup } = recordings();
    // Linux shows this process's open files; a lecture's worth of seeks must not pile them up.
    const openFiles = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const before = openFiles();
    for (let seek = 0; seek < 20; seek++) {
      const response = await respondWithRecordingFile(withRange(`bytes=${seek * 100}-`), lookup);
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    // Closing follows the cancel asynchronously.
    for (let tries = 0; tries < 100 && openFiles() > before; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(openFiles()).toBeLessThanOrEqual(before);
    const again = await respondWithRecordingFile(withRange('bytes=2048-'), lookup);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(audio.subarray(2048));
  });

  it('is 404 with the engine’s message for a deleted lecture, and for a recording gone from the folder', async () => {
    const deleted = await respondWithRecordingFile(
      get(recordingFileUrl('11111111-2222-4333-8444-555555555555')),
      recordings().lookup,
    );
    expect(deleted.status).toBe(404);
    expect(await deleted.text()).toMatch(/no longer exists/);
    const { lookup } = storeWith({
      [LECTURE]: { path: join(dir, 'gone.webm'), mimeType: MIME, name: 'a.webm' },
    });
    const gone = await respondWithRecordingFile(withRange('bytes=0-'), lookup);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toMatch(/recording is missing/);
  });

  it('only reads, is never a page, and asks the engine nothing for a URL that names no lecture', async () => {
    const { lookup, asked } = recordings();
    const post = await respondWithRecordingFile(
      get(recordingFileUrl(LECTURE), { method: 'PUT', body: 'x' }),
      lookup,
    );
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const navigation = get(recordingFileUrl(LECTURE), { headers: { 'Sec-Fetch-Mode': 'navigate' } });
    expect((await respondWithRecordingFile(navigation, lookup)).status).toBe(403);
    expect((await respondWithRecordingFile(get(materialFileUrl(LECTURE)), lookup)).status).toBe(404);
    expect(asked).toEqual([]);
    const embedded = await respondWithRecordingFile(get(recordingFileUrl(LECTURE)), lookup);
    expect(embedded.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    await embedded.body?.cancel();
  });

  it('goes to the recording lookup or the material lookup by the URL’s host', async () => {
    const materials = storeWith({});
    const lectures = recordings();
    const lookups = { material: materials.lookup, recording: lectures.lookup };
    const recording = await respondWithStoredFile(withRange('bytes=0-9'), lookups);
    expect(recording.status).toBe(206);
    expect(Buffer.from(await recording.arrayBuffer())).toEqual(audio.subarray(0, 10));
    const material = await respondWithStoredFile(get(materialFileUrl(ID)), lookups);
    expect(material.status).toBe(404);
    expect(materials.asked).toEqual([ID]);
    expect(lectures.asked).toEqual([LECTURE]);
    // Originals are sent whole: pdf.js fetches them once.
    expect(material.headers.get('accept-ranges')).toBeNull();
  });
});
