import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../contract/jobs.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';
import { MODEL_DOWNLOAD_JOB } from './model-download-job.js';
import { partFile } from './model-downloader.js';
import type { ModelHandlers } from '../domains/models/model-handlers.js';
import { ModelManager } from './model-manager.js';
import { ggufModel, sha256, testCatalog } from './test-support/model-fixtures.js';
import { startModelServer, type ModelServer } from './test-support/model-server.js';

const model = ggufModel({ payloadBytes: 400_000, seed: 5 });

let dir: ReturnType<typeof tempDir>;
let server: ModelServer;
let core: TestCore;
let models: ModelManager;
let handlers: ModelHandlers;

beforeEach(async () => {
  dir = tempDir('lm-model-job-');
  server = await startModelServer(model);
  const catalog = testCatalog(server.url(), model, { ramBytes: 1024 });
  const modelCatalogFile = join(dir.path, 'catalog.json');
  writeFileSync(modelCatalogFile, JSON.stringify(catalog));
  const modelsDir = join(dir.path, 'models');
  // The engine's own manager does the work; this one only looks at the folder afterwards.
  models = new ModelManager({ catalog, modelsDir });
  core = await openTestCore(
    join(dir.path, 'data'),
    { jobQueue: { backoffMs: () => 20, progressIntervalMs: 0 } },
    { modelCatalogFile, modelsDir },
  );
  // Through the dispatcher, as the UI calls them; failures come back as AppError-shaped rejections.
  const call = async (method: string, input: unknown) => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
  handlers = {
    'models.list': (input) => call('models.list', input),
    'models.download': (input) => call('models.download', input),
    'models.installFromFile': (input) => call('models.installFromFile', input),
    'models.delete': (input) => call('models.delete', input),
  } as ModelHandlers;
});
afterEach(async () => {
  await core.close();
  await server.close();
  dir.remove();
});

const settled = (id: string) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id }),
    (job) => !['queued', 'running'].includes(job.status),
  );

describe('model download job', () => {
  it('downloads in the background with progress events; the list follows it', async () => {
    server.behaviour = { throttle: { chunkBytes: 65_536, delayMs: 15 } };
    const { jobId } = await handlers['models.download']({ id: 'test-embedder' });
    // A second click joins the same download instead of starting another.
    expect(await handlers['models.download']({ id: 'test-embedder' })).toEqual({ jobId });
    const [listed] = await handlers['models.list']({});
    expect(listed?.downloadJobId).toBe(jobId);

    const done = await settled(jobId);
    expect(done).toMatchObject({
      status: 'succeeded',
      kind: MODEL_DOWNLOAD_JOB,
      title: 'Download Test Embedder',
    });
    const progress = core.events.flatMap((event) =>
      event.name === 'job.progress' && event.payload.id === jobId ? [event.payload] : [],
    );
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ progress: 1, message: '391 KB of 391 KB' });
    const [installed] = await handlers['models.list']({});
    expect(installed).toMatchObject({ status: 'installed', installed: true });
    expect(installed).not.toHaveProperty('downloadJobId');
    await expect(handlers['models.download']({ id: 'test-embedder' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Test Embedder is already installed.',
    });
  });

  it('resumes after a dropped connection on the queue’s next attempt, ending with the right file', async () => {
    server.behaviour = { dropAfterBytes: 150_000 };
    const { jobId } = await handlers['models.download']({ id: 'test-embedder' });
    const done = await settled(jobId);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(server.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    const file = await models.installedPath('test-embedder');
    expect(sha256(readFileSync(file))).toBe(sha256(model));
  });

  it('cancelling the job stops the download and removes the part', async () => {
    server.behaviour = { throttle: { chunkBytes: 16_384, delayMs: 25 } };
    const { jobId } = await handlers['models.download']({ id: 'test-embedder' });
    await waitFor(
      () => core.value<Job>('jobs.get', { id: jobId }),
      (job) => (job.progress ?? 0) > 0.1,
    );
    await expect(handlers['models.delete']({ id: 'test-embedder' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await core.value('jobs.cancel', { id: jobId });
    expect((await settled(jobId)).status).toBe('cancelled');
    const file = models.filePath('test-embedder');
    expect(existsSync(partFile(file))).toBe(false);
    expect(existsSync(file)).toBe(false);
  });
});
