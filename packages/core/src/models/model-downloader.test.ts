import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-core.js';
import { ModelDownloader, partFile } from './model-downloader.js';
import { ggufModel, sha256 } from './test-support/model-fixtures.js';
import { startModelServer, type ModelServer } from './test-support/model-server.js';

let dir: ReturnType<typeof tempDir>;
let server: ModelServer;
let destination: string;
const model = ggufModel({ payloadBytes: 600_000, seed: 42 });
const expected = { expectedBytes: model.length, sha256: sha256(model) };

beforeEach(async () => {
  dir = tempDir('lm-downloader-');
  server = await startModelServer(model);
  destination = join(dir.path, 'models', 'test-model.gguf');
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the download to fail');
    },
    (error: unknown) => error as Error & { code?: string },
  );

describe('model downloader', () => {
  it('downloads through redirects, reporting progress up to the whole size, and checks the file', async () => {
    const progress: [number, number | null][] = [];
    const result = await new ModelDownloader().download(server.url('/redirect'), destination, {
      ...expected,
      onProgress: (received, total) => progress.push([received, total]),
    });

    expect(result).toEqual({ bytes: model.length, sha256: expected.sha256, resumedFrom: 0 });
    expect(readFileSync(destination).equals(model)).toBe(true);
    expect(existsSync(partFile(destination))).toBe(false);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual([model.length, model.length]);
    const received = progress.map(([bytes]) => bytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(server.requests.map((r) => r.path)).toEqual(['/redirect', '/redirect-twice', '/model']);
  });

  it('keeps the part when the connection drops and resumes it with a Range request', async () => {
    server.behaviour = { dropAfterBytes: 200_000 };
    const downloader = new ModelDownloader();
    const dropped = await failure(downloader.download(server.url(), destination, expected));
    expect(dropped.message).toMatch(/dropped during the download\. It resumes from where it stopped/);
    const kept = statSync(partFile(destination)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(200_000);
    expect(existsSync(destination)).toBe(false);

    const result = await downloader.download(server.url(), destination, expected);
    expect(server.requests[1]?.range).toBe(`bytes=${kept}-`);
    expect(result).toEqual({ bytes: model.length, sha256: expected.sha256, resumedFrom: kept });
    expect(readFileSync(destination).equals(model)).toBe(true);
  });

  it('starts over when the server ignores the Range and sends the whole file', async () => {
    mkdirSync(dirname(destination));
    // Bytes that are not the file's start: appending the answer to them would fail the checksum.
    writeFileSync(partFile(destination), Buffer.alloc(5000, 7));
    server.behaviour = { ignoreRange: true };
    const result = await new ModelDownloader().download(server.url(), destination, expected);
    expect(server.requests[0]?.range).toBe('bytes=5000-');
    expect(result).toEqual({ bytes: model.length, sha256: expected.sha256, resumedFrom: 0 });
    expect(readFileSync(destination).equals(model)).toBe(true);
  });

  it('finishes a part that is already complete when the server answers 416', async () => {
    mkdirSync(dirname(destination));
    writeFileSync(partFile(destination), model);
    const result = await new ModelDownloader().download(server.url(), destination, expected);
    expect(result).toEqual({ bytes: model.length, sha256: expected.sha256, resumedFrom: model.length });
    expect(readFileSync(destination).equals(model)).toBe(true);
  });

  it('rejects a file whose checksum differs and deletes the part', async () => {
    const error = await failure(
      new ModelDownloader().download(server.url(), destination, { ...expected, sha256: 'ab'.repeat(32) }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain("does not match the catalog's checksum (expected sha256 abababababab…");
    expect(error.message).toContain('so it was deleted');
    expect(readdirSync(join(dir.path, 'models'))).toEqual([]);
  });

  it('names the status when the server answers 404 or 500, and keeps what was downloaded', async () => {
    const downloader = new ModelDownloader();
    const missing = await failure(downloader.download(server.url('/status/404'), destination, expected));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('no file at this address (HTTP 404 Not Found from 127.0.0.1:');

    writeFileSync(partFile(destination), model.subarray(0, 1234));
    const broken = await failure(downloader.download(server.url('/status/500'), destination, expected));
    expect(broken.code).toBeUndefined(); // not permanent: the job queue retries it
    expect(broken.message).toContain('could not send the file right now (HTTP 500 Internal Server Error');
    expect(statSync(partFile(destination)).size).toBe(1234);
  });

  it('refuses a server file whose size differs from the catalog', async () => {
    const error = await failure(
      new ModelDownloader().download(server.url(), destination, {
        ...expected,
        expectedBytes: model.length + 1,
      }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toMatch(/^The server offers a file of .* but the catalog expects/);
  });

  it('stops and removes the part when cancelled; an app shutdown keeps it for next time', async () => {
    server.behaviour = { throttle: { chunkBytes: 16_384, delayMs: 20 } };
    const cancel = new AbortController();
    const cancelled = await failure(
      new ModelDownloader().download(server.url(), destination, {
        ...expected,
        signal: cancel.signal,
        onProgress: (received) => received > 50_000 && cancel.abort('cancel'),
      }),
    );
    expect(cancelled).toMatchObject({ code: 'CANCELLED', message: 'The download was cancelled.' });
    expect(readdirSync(join(dir.path, 'models'))).toEqual([]);

    const shutdown = new AbortController();
    await failure(
      new ModelDownloader().download(server.url(), destination, {
        ...expected,
        signal: shutdown.signal,
        onProgress: (received) => received > 50_000 && shutdown.abort('shutdown'),
      }),
    );
    expect(statSync(partFile(destination)).size).toBeGreaterThan(0);
  });

  it('refuses up front, writing nothing, when the model does not fit on the disk', async () => {
    const downloader = new ModelDownloader({ freeBytes: async () => 10 * 1024 * 1024 });
    const error = await failure(
      downloader.download(server.url(), destination, { ...expected, expectedBytes: 2e9 }),
    );
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(
      /^Not enough free disk space for this model: it needs 1\.9 GB and the drive with the models folder \(.*\) has 10 MB free\. Free some space and try again\.$/,
    );
    expect(server.requests).toEqual([]);
    expect(readdirSync(join(dir.path, 'models'))).toEqual([]);
  });

  it('gives up on a stalled connection, keeping the part', async () => {
    mkdirSync(dirname(destination));
    writeFileSync(partFile(destination), model.subarray(0, 100));
    server.behaviour = { stall: true };
    const error = await failure(
      new ModelDownloader({ stallTimeoutMs: 300 }).download(server.url(), destination, expected),
    );
    expect(error.message).toMatch(/stalled: nothing arrived for 0 seconds/);
    expect(statSync(partFile(destination)).size).toBe(100);
  });
});
