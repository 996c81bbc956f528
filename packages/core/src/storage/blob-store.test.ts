import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from './blob-store.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `folder`, relative, so a test can see exactly what the store left behind. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('BlobStore', () => {
  let root: string;
  let store: BlobStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lm-blobs-'));
    store = new BlobStore(join(root, 'blobs'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores content under its sha256 and reads back the same bytes', async () => {
    const content = Buffer.from('The mitochondria is the powerhouse of the cell.\n');
    const stored = await store.put(content);
    expect(stored).toEqual({ sha256: sha256(content), bytes: content.length });
    expect(store.pathOf(stored.sha256)).toBe(join(root, 'blobs', stored.sha256.slice(0, 2), stored.sha256));
    expect(readFileSync(store.pathOf(stored.sha256))).toEqual(content);
    expect(await store.has(stored.sha256)).toBe(true);
  });

  it('stores the same content once, whether it comes from a file or from memory', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 17, 'lecture notes ');
    const source = join(root, 'notes.txt');
    writeFileSync(source, content);
    const fromFile = await store.put(source);
    const fromMemory = await store.put(content);
    expect(fromMemory).toEqual(fromFile);
    expect(filesUnder(join(root, 'blobs'))).toEqual([`${fromFile.sha256.slice(0, 2)}/${fromFile.sha256}`]);
  });

  it('leaves no file behind when the source fails part-way', async () => {
    async function* failingSource() {
      yield Buffer.alloc(64 * 1024, 1);
      throw new Error('the disk went away');
    }
    await expect(store.put(failingSource())).rejects.toThrow('the disk went away');
    expect(filesUnder(join(root, 'blobs'))).toEqual([]);
  });

  it('stops when cancelled and leaves no file behind', async () => {
    const controller = new AbortController();
    async function* slowSource() {
      yield Buffer.alloc(1024, 2);
      controller.abort();
      yield Buffer.alloc(1024, 3);
    }
    await expect(store.put(slowSource(), { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(filesUnder(join(root, 'blobs'))).toEqual([]);
  });

  it('clears copies a crash left half-written, which never had a final name', async () => {
    const tempFolder = join(root, 'blobs', 'tmp');
    mkdirSync(tempFolder, { recursive: true });
    writeFileSync(join(tempFolder, 'crashed.part'), 'half a lecture');
    expect(await store.removeInterruptedWrites()).toBe(1);
    expect(filesUnder(join(root, 'blobs'))).toEqual([]);
  });

  it('removes a blob, and removing a missing one is not an error', async () => {
    const { sha256: digest } = await store.put(Buffer.from('flashcards'));
    await store.remove(digest);
    expect(await store.has(digest)).toBe(false);
    await expect(store.remove(digest)).resolves.toBeUndefined();
  });

  it('refuses a name that is not a sha256 digest, so no path can escape the store', () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/Not a sha256 digest/);
  });
});
