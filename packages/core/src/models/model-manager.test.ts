import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../test-support/temp-core.js';
import { defaultCatalogFile, loadCatalog, type CatalogEntry } from './catalog.js';
import { ModelManager, type ModelManagerOptions } from './model-manager.js';
import { ggufModel, pngImage, sha256, testCatalog } from './test-support/model-fixtures.js';
import { startModelServer, type ModelServer } from './test-support/model-server.js';

const GB = 1024 ** 3;
const model = ggufModel({ payloadBytes: 300_000, seed: 9 });

let dir: ReturnType<typeof tempDir>;
let server: ModelServer;
let modelsDir: string;

beforeEach(async () => {
  dir = tempDir('lm-models-');
  modelsDir = join(dir.path, 'models');
  server = await startModelServer(model);
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

const catalog = (overrides: Partial<CatalogEntry> = {}) => testCatalog(server.url(), model, overrides);

const manager = (options: Partial<ModelManagerOptions> = {}) =>
  new ModelManager({ catalog: catalog(), modelsDir, totalMemoryBytes: 16 * GB, ...options });

/** The AppError a call fails with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error & { code?: string },
  );

function sourceFile(name: string, bytes: Buffer): string {
  const path = join(dir.path, 'downloads', name);
  mkdirSync(join(dir.path, 'downloads'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

describe('model catalog', () => {
  it('loads the catalog shipped with the app: every entry complete, verified ones with a checksum', async () => {
    const shipped = await loadCatalog(defaultCatalogFile());
    expect(shipped.models.length).toBeGreaterThan(0);
    for (const entry of shipped.models) {
      expect(entry.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/.+/);
      if (entry.verified) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(shipped.models.some((entry) => entry.kind === 'embedding')).toBe(true);
  });

  it('names the file and the problem when a catalog is damaged', async () => {
    const file = join(dir.path, 'catalog.json');
    writeFileSync(file, JSON.stringify({ version: 1, models: [{ id: 'x', kind: 'llm' }] }));
    await expect(loadCatalog(file)).rejects.toThrow(
      new RegExp(`^The model catalog ${file} is damaged: models\\.0\\.`),
    );
    writeFileSync(file, '{ not json');
    await expect(loadCatalog(file)).rejects.toThrow('is not valid JSON');
  });
});

describe('model manager', () => {
  it('lists catalog models with their state on this computer and whether they fit in memory', async () => {
    const [entry] = await manager().list();
    expect(entry).toMatchObject({
      id: 'test-embedder',
      kind: 'embedding',
      status: 'missing',
      installed: false,
      verified: true,
      fitsMemory: true,
      memoryNote: 'Needs about 512 MB of memory; this computer has 16 GB.',
    });
    expect(entry).not.toHaveProperty('installedBytes');

    const [tooBig] = await manager({ totalMemoryBytes: 0.5 * GB }).list();
    expect(tooBig).toMatchObject({ fitsMemory: false });
    expect(tooBig?.memoryNote).toMatch(
      /^Needs about 512 MB of memory, but this computer has 512 MB: too little/,
    );
  });

  it('downloads a model, records how it was checked, and hands its path to the features', async () => {
    const models = manager();
    const progress: number[] = [];
    const entry = await models.download('test-embedder', {
      onProgress: (received) => progress.push(received),
    });

    expect(entry).toMatchObject({
      status: 'installed',
      installed: true,
      installedBytes: model.length,
      source: 'download',
    });
    expect(progress.at(-1)).toBe(model.length);
    const file = join(modelsDir, 'test-embedder.gguf');
    expect(await models.installedPath('test-embedder')).toBe(file);
    expect(JSON.parse(readFileSync(`${file}.json`, 'utf8'))).toMatchObject({
      id: 'test-embedder',
      sha256: sha256(model),
      bytes: model.length,
      source: 'download',
      verified: true,
    });
    // A second download (a retried job) finds it installed and fetches nothing.
    await models.download('test-embedder');
    expect(server.requests).toHaveLength(1);
  });

  it('records the hash of a model whose checksum the catalog lacks, as unverified', async () => {
    const models = manager({ catalog: catalog({ sha256: null, verified: false }) });
    await models.download('test-embedder');
    const manifest = JSON.parse(readFileSync(join(modelsDir, 'test-embedder.gguf.json'), 'utf8'));
    expect(manifest).toMatchObject({ sha256: sha256(model), verified: false });
    expect((await models.describe('test-embedder')).verified).toBe(false);
  });

  it('refuses a download that is not a model even without a checksum, and keeps nothing', async () => {
    server.body = Buffer.concat([
      Buffer.from('<!doctype html><p>Sign in to continue</p>'),
      Buffer.alloc(100),
    ]);
    const models = manager({
      catalog: catalog({ sha256: null, verified: false, bytes: server.body.length }),
    });
    const error = await failure(models.download('test-embedder'));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).toContain('This file is not a GGUF model (it starts like a web page');
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('refuses a download that does not fit on the disk before writing anything', async () => {
    const models = manager({ freeBytes: async () => 1024 * 1024 });
    const error = await failure(models.download('test-embedder'));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toContain('Not enough free disk space for this model');
    expect(server.requests).toEqual([]);
    expect(existsSync(modelsDir) ? readdirSync(modelsDir) : []).toEqual([]);
    expect((await models.describe('test-embedder')).status).toBe('missing');
  });

  it('shows an interrupted download as partial, ready to resume', async () => {
    server.behaviour = { dropAfterBytes: 100_000 };
    const models = manager();
    await failure(models.download('test-embedder'));
    const partial = await models.describe('test-embedder');
    expect(partial.status).toBe('partial');
    expect(partial.partialBytes).toBeGreaterThan(0);
    await models.download('test-embedder');
    expect(server.requests[1]?.range).toBe(`bytes=${partial.partialBytes}-`);
    expect((await models.describe('test-embedder')).status).toBe('installed');
  });

  it('uses a file the student already has: checks it, copies it in and lists it as installed', async () => {
    const models = manager();
    const source = sourceFile('my-copy.gguf', model);
    const entry = await models.installFromFile('test-embedder', source);

    expect(entry).toMatchObject({
      status: 'installed',
      installed: true,
      source: 'file',
      installedBytes: model.length,
    });
    expect(readFileSync(await models.installedPath('test-embedder')).equals(model)).toBe(true);
    expect(readFileSync(source).equals(model)).toBe(true); // the student's file is left where it was
    expect(readdirSync(modelsDir).sort()).toEqual(['test-embedder.gguf', 'test-embedder.gguf.json']);
    expect(server.requests).toEqual([]);
  });

  it('refuses files that are not the catalog model, saying why, and installs nothing', async () => {
    const models = manager();
    const png = await failure(models.installFromFile('test-embedder', sourceFile('model.gguf', pngImage())));
    expect(png).toMatchObject({ code: 'INVALID_INPUT' });
    expect(png.message).toBe(
      'This file is not a GGUF model (it starts like a PNG image). Choose the model file itself.',
    );

    const otherBuild = ggufModel({ payloadBytes: 100_000, seed: 9 });
    const smaller = await failure(models.installFromFile('test-embedder', sourceFile('q4.gguf', otherBuild)));
    expect(smaller.message).toMatch(
      /^This file is .* but Test Embedder is [\d,]+ bytes: it is a different build/,
    );

    const sameSize = ggufModel({ payloadBytes: 300_000, seed: 10 });
    const differs = await failure(
      models.installFromFile('test-embedder', sourceFile('other.gguf', sameSize)),
    );
    expect(differs.message).toMatch(
      /^This file is a different build from the catalog's Test Embedder: its sha256 is/,
    );

    const cut = await failure(
      models.installFromFile('test-embedder', sourceFile('cut.gguf', model.subarray(0, model.length - 1000))),
    );
    expect(cut.message).toMatch(/^The file is truncated/);

    const missing = await failure(models.installFromFile('test-embedder', join(dir.path, 'nowhere.gguf')));
    expect(missing.message).toBe(
      `There is no file at ${join(dir.path, 'nowhere.gguf')}. Check the path and try again.`,
    );
    const relative = await failure(models.installFromFile('test-embedder', 'model.gguf'));
    expect(relative.message).toMatch(/^Give the full path of the model file/);
    const folder = await failure(models.installFromFile('test-embedder', dir.path));
    expect(folder.message).toBe(`${dir.path} is a folder. Give the path of the model file inside it.`);

    expect(existsSync(modelsDir) ? readdirSync(modelsDir) : []).toEqual([]);
    expect((await models.describe('test-embedder')).status).toBe('missing');
  });

  it('deletes a model with its record; deleting a missing one says it is not installed', async () => {
    const models = manager();
    await models.installFromFile('test-embedder', sourceFile('copy.gguf', model));
    await models.delete('test-embedder');
    expect(readdirSync(modelsDir)).toEqual([]);
    expect((await models.describe('test-embedder')).status).toBe('missing');
    const again = await failure(models.delete('test-embedder'));
    expect(again).toMatchObject({ code: 'NOT_FOUND', message: 'The Test Embedder model is not installed.' });
  });

  it('tells features to install a missing model, and to reinstall a damaged one', async () => {
    const models = manager();
    const missing = await failure(models.installedPath('test-embedder'));
    expect(missing).toMatchObject({
      code: 'MODEL_NOT_INSTALLED',
      message: 'Install the Test Embedder model in Settings › Models first.',
    });

    await models.installFromFile('test-embedder', sourceFile('copy.gguf', model));
    truncateSync(join(modelsDir, 'test-embedder.gguf'), 1000);
    expect((await models.describe('test-embedder')).status).toBe('damaged');
    const damaged = await failure(models.installedPath('test-embedder'));
    expect(damaged.code).toBe('MODEL_NOT_INSTALLED');
    expect(damaged.message).toMatch(
      /^The Test Embedder model file is damaged .* install it again in Settings › Models\.$/,
    );

    const unknown = await failure(models.installedPath('no-such-model'));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts a model file put in the folder by hand (or by an offline installer) when its size is right', async () => {
    mkdirSync(modelsDir);
    writeFileSync(join(modelsDir, 'test-embedder.gguf'), model);
    const models = manager();
    expect(await models.describe('test-embedder')).toMatchObject({ status: 'installed', source: 'file' });
    expect(await models.installedPath('test-embedder')).toBe(join(modelsDir, 'test-embedder.gguf'));
    // Pointing "use a file" at it checks it in place and records it.
    await models.installFromFile('test-embedder', join(modelsDir, 'test-embedder.gguf'));
    expect(JSON.parse(readFileSync(join(modelsDir, 'test-embedder.gguf.json'), 'utf8'))).toMatchObject({
      source: 'file',
      sha256: sha256(model),
    });
  });

  it('does one thing at a time per model: a delete during a download is refused', async () => {
    server.behaviour = { throttle: { chunkBytes: 32_768, delayMs: 10 } };
    const models = manager();
    const download = models.download('test-embedder');
    await waitFor(
      () => server.requests.length,
      (requests) => requests > 0,
    );
    const busy = await failure(models.delete('test-embedder'));
    expect(busy).toMatchObject({ code: 'CONFLICT' });
    expect(busy.message).toContain('is being downloaded or installed right now');
    await download;
    expect((await models.describe('test-embedder')).installed).toBe(true);
  });
});
