import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../contract/index.js';
import type { StoredFile } from '../storage/stored-file.js';
import { tempDir } from '../test-support/temp-core.js';
import { sendRecordingFile } from './recording-route.js';

describe('GET /recordings/<lectureId>', () => {
  const dir = tempDir('lm-recording-route-');
  const audio = randomBytes(50_000);
  const lectureId = '5d6a3d57-1f0b-4b8e-9d43-0b1f3f3b1a01';
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const path = join(dir.path, `${lectureId}.webm`);
    writeFileSync(path, audio);
    const lookup = (id: string): StoredFile => {
      if (id === lectureId) return { path, mimeType: 'audio/webm;codecs=opus', name: 'Lecture 4.webm' };
      if (id === 'file-missing')
        return { path: join(dir.path, 'nothing-here.webm'), mimeType: 'audio/webm', name: 'x' };
      throw new AppError('NOT_FOUND', 'That lecture no longer exists.');
    };
    server = createServer((req, res) => {
      const id = decodeURIComponent(req.url!.replace('/recordings/', ''));
      void sendRecordingFile(req, res, id, lookup);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/recordings/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  const get = (id: string, init: RequestInit = {}) => fetch(base + id, init);

  it('sends the whole recording without a Range, saying ranges are accepted', async () => {
    const res = await get(lectureId);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('audio/webm;codecs=opus');
    expect(res.headers.get('content-length')).toBe(String(audio.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(audio)).toBe(true);
  });

  it('sends the asked part with 206 and where it sits', async () => {
    const res = await get(lectureId, { headers: { Range: 'bytes=1000-1999' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-1999/${audio.length}`);
    expect(res.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await res.arrayBuffer()).equals(audio.subarray(1000, 2000))).toBe(true);

    const tail = await get(lectureId, { headers: { Range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(audio.subarray(audio.length - 100))).toBe(true);

    const open = await get(lectureId, { headers: { Range: 'bytes=49000-' } });
    expect(open.headers.get('content-range')).toBe(`bytes 49000-49999/${audio.length}`);
    expect(Buffer.from(await open.arrayBuffer()).equals(audio.subarray(49000))).toBe(true);
  });

  it('answers 416 with the size for a range past the end', async () => {
    const res = await get(lectureId, { headers: { Range: `bytes=${audio.length}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${audio.length}`);
    await res.arrayBuffer();
  });

  it('answers HEAD with the headers only', async () => {
    const res = await get(lectureId, { method: 'HEAD', headers: { Range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-length')).toBe('100');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 for an unknown lecture or a missing file, and 405 for writes', async () => {
    const unknown = await get('5d6a3d57-1f0b-4b8e-9d43-0b1f3f3b1a99');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('no longer exists');
    const missing = await get('file-missing');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('missing');
    const post = await get(lectureId, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await post.arrayBuffer();
  });
});
