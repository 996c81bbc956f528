import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@little-monster/core/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaterialFile } from '../shared/engine-protocol.js';
import { materialFileUrl, materialIdOfUrl } from '../shared/material-file-url.js';
import {
  MATERIAL_FILE_PRIVILEGES,
  respondWithMaterialFile,
  type MaterialFileLookup,
} from './material-files.js';

const ID = '3f2b8c1d-6a4e-4b7f-9d2c-1e5a7b9c0d4f';

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

  /** The engine's side, as EngineHost.materialFile answers: one known material. */
  function storeWith(files: Record<string, MaterialFile>) {
    const asked: string[] = [];
    const lookup: MaterialFileLookup = (materialId) => {
      asked.push(materialId);
      const file = files[materialId];
      const result: Result<MaterialFile> = file
        ? { ok: true, value: file }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'That material no longer exists.' } };
      return Promise.resolve(result);
    };
    return { lookup, asked };
  }

  const get = (url: string, init: RequestInit = {}) => new Request(url, init);

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
    const lookup: MaterialFileLookup = () =>
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
