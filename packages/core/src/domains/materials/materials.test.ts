/**
 * The library through the engine's own procedures, as the UI uses it: real files, the real
 * importers (pdf.js, tesseract) and the real index.
 */
import { fork, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SNIPPET_MARK_START,
  type ImportOutcome,
  type Job,
  type Material,
  type MaterialFindResult,
  type MaterialPage,
  type SearchHit,
} from '../../contract/index.js';
import { fixture } from '../../ingest/test-support/fixtures.js';
import { silentLogger } from '../../logging/logger.js';
import { startEngineHost } from '../../server/engine-host.js';
import { removeStaleUploads } from '../../storage/uploads-folder.js';
import { connectSocket } from '../../test-support/socket-client.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;

beforeEach(async () => {
  dir = tempDir('lm-library-');
  core = await openTestCore(join(dir.path, 'data'));
});
afterEach(async () => {
  await core.close();
  dir.remove();
});

async function importPaths(...paths: string[]): Promise<ImportOutcome[]> {
  const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', {
    sources: paths.map((path) => ({ kind: 'path', path })),
  });
  return items;
}

const settled = (jobId: string) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => !['queued', 'running'].includes(job.status),
    60_000,
  );

const materials = async () => (await core.value<{ items: Material[] }>('materials.list')).items;
const blobCount = () => {
  const root = join(core.dataDir, 'blobs');
  return existsSync(root)
    ? readdirSync(root, { recursive: true }).filter((name) => String(name).length > 60).length
    : 0;
};
const chunkCount = (query: string) =>
  core.value<{ hits: SearchHit[] }>('search.query', { query, mode: 'keyword' });

describe('library', () => {
  it('imports a PDF into pages and chunks, finds a phrase on its page, and says when a file was imported before', async () => {
    const [outcome] = await importPaths(fixture('pdf/tracemonkey.pdf'));
    expect(outcome).toMatchObject({
      name: 'tracemonkey.pdf',
      materialId: expect.any(String),
      jobId: expect.any(String),
    });
    expect(await settled(outcome!.jobId!)).toMatchObject({ status: 'succeeded', progress: 1 });

    const [material] = await materials();
    expect(material).toMatchObject({
      title: 'tracemonkey',
      type: 'pdf',
      status: 'ready',
      pageCount: 14,
      jobId: null,
    });
    const page6 = await core.value<MaterialPage>('materials.page', { id: material!.id, page: 6 });
    expect(page6.source).toBe('text-layer');
    expect(page6.words.length).toBeGreaterThan(100);

    // A sentence of page 6 (checked with pdftotext), searched as a student would type it.
    const { hits } = await core.value<{ hits: SearchHit[]; semanticAvailable: boolean }>('search.query', {
      query: 'typed trace tree anchored at the loop header',
    });
    expect(hits[0]).toMatchObject({
      ref: { kind: 'material', id: material!.id },
      title: 'tracemonkey',
      materialType: 'pdf',
      location: { kind: 'pages', pageStart: 6 },
    });
    expect(hits[0]!.snippet).toContain(SNIPPET_MARK_START);

    // The viewer's find: a phrase of page 6, typed in another case, across one of its line breaks.
    const found = await core.value<MaterialFindResult>('materials.find', {
      id: material!.id,
      text: 'EXTEND a TRACE tree along',
    });
    expect(found.matches.length).toBeGreaterThan(0);
    const first = found.matches.find((match) => match.page === 6);
    expect(first).toBeDefined();
    expect(page6.text.slice(first!.start, first!.end).replace(/\s+/g, ' ').toLowerCase()).toBe(
      'extend a trace tree along',
    );
    expect(await core.dispatch('materials.find', { id: material!.id, text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await core.dispatch('materials.find', { id: crypto.randomUUID(), text: 'trace' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    const [again] = await importPaths(fixture('pdf/tracemonkey.pdf'));
    expect(again).toEqual({
      name: 'tracemonkey.pdf',
      duplicateOf: { id: material!.id, title: 'tracemonkey' },
    });
    expect(await materials()).toHaveLength(1);
  });

  it('renames, moves to a class and deletes a material with its chunks and file', async () => {
    const biology = await core.value<{ id: string }>('classes.create', { name: 'Biology' });
    const { materialId, jobId } = await core.value<ImportOutcome>('materials.pasteText', {
      title: 'Cell notes',
      text: '# Mitochondria\n\nThe mitochondrion is the powerhouse of the cell.',
    });
    await settled(jobId!);
    const moved = await core.value<Material>('materials.update', {
      id: materialId,
      patch: { title: 'Cell biology notes', classId: biology.id },
    });
    expect(moved).toMatchObject({ title: 'Cell biology notes', classId: biology.id, type: 'markdown' });
    const inClass = await core.value<{ items: Material[] }>('materials.list', { classId: biology.id });
    expect(inClass.items.map((m) => m.id)).toEqual([materialId]);
    const [hit] = (await chunkCount('powerhouse')).hits;
    expect(hit).toMatchObject({ title: 'Cell biology notes', classId: biology.id });
    expect(blobCount()).toBe(1);

    // A deleted class's materials stay, in no class, and search shows them so.
    await core.value('classes.delete', { id: biology.id });
    expect(await core.value<Material>('materials.get', { id: materialId })).toMatchObject({ classId: null });
    expect((await chunkCount('powerhouse')).hits[0]).toMatchObject({ classId: null });

    expect(await core.value('materials.delete', { ids: [materialId] })).toEqual({ deleted: [materialId] });
    expect(await materials()).toEqual([]);
    expect((await chunkCount('powerhouse')).hits).toEqual([]);
    expect(blobCount()).toBe(0);
    expect((await core.dispatch('materials.get', { id: materialId })).ok).toBe(false);
  });

  it('imports a photo by its content even when it is named .pdf', async () => {
    const disguised = join(dir.path, 'lecture-notes.pdf');
    copyFileSync(fixture('images/tracemonkey-page2.png'), disguised);
    const [outcome] = await importPaths(disguised);
    expect(await settled(outcome!.jobId!)).toMatchObject({ status: 'succeeded' });
    const [material] = await materials();
    expect(material).toMatchObject({ type: 'image', pageCount: 1 });
    const page = await core.value<MaterialPage>('materials.page', { id: material!.id, page: 1 });
    expect(page.source).toBe('ocr');
    expect(page.text).toMatch(/trace/i);
  });

  it('refuses bad files with a clear reason and keeps nothing of them', async () => {
    const empty = join(dir.path, 'empty.pdf');
    writeFileSync(empty, '');
    const binary = join(dir.path, 'program.docx');
    writeFileSync(
      binary,
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(4000, 3)]),
    );
    const huge = join(dir.path, 'huge.pdf');
    writeFileSync(huge, '%PDF-1.7\n');
    await truncate(huge, 300 * 1024 * 1024); // sparse: no real disk used
    // qpdf (scripts/install-system-deps.sh) locks a copy of a real PDF with a password.
    const locked = join(dir.path, 'locked.pdf');
    const qpdf = spawnSync('qpdf', [
      '--encrypt',
      'user',
      'owner',
      '256',
      '--',
      fixture('pdf/tracemonkey.pdf'),
      locked,
    ]);
    expect(qpdf.error, 'qpdf is needed to make a password-protected PDF').toBeUndefined();
    const outcomes = await importPaths(empty, binary, huge, join(dir.path, 'missing.pdf'), locked);
    const reasons = await Promise.all(
      outcomes.map(async (outcome) => outcome.error ?? (await settled(outcome.jobId!)).error ?? 'imported'),
    );
    expect(reasons[0]).toMatch(/empty/i);
    expect(reasons[1]).toMatch(/This file is a program .* cannot import/);
    expect(reasons[2]).toMatch(/too large|larger than/i);
    expect(reasons[3]).toMatch(/could not be found/i);
    expect(reasons[4]).toMatch(/password-protected/);
    expect(await materials()).toEqual([]);
    expect(blobCount()).toBe(0);
  });

  it('refuses at once, before a byte is copied, a named pipe, a device, a link to one, and a file larger than an import takes', async () => {
    const pipe = join(dir.path, 'notes.txt');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const link = join(dir.path, 'zeros.pdf');
    symlinkSync('/dev/zero', link);
    const huge = join(dir.path, 'lecture-notes.pdf');
    writeFileSync(huge, '%PDF-1.7\n');
    await truncate(huge, 2 * 1024 ** 3); // 2 GiB, sparse
    // Nobody ever writes to the pipe: reading it would wait forever.
    const outcomes = await importPaths(pipe, '/dev/zero', link, huge);
    expect(outcomes).toEqual([
      { name: 'notes.txt', error: expect.stringMatching(/^This is a named pipe, not a file with content/) },
      { name: 'zero', error: expect.stringMatching(/^This is a device, not a file with content/) },
      { name: 'zeros.pdf', error: expect.stringMatching(/^This is a device, not a file with content/) },
      {
        name: 'lecture-notes.pdf',
        error:
          'This file is 2 GB, larger than the 200 MB Little Monster can import. Split it into smaller files and import those.',
      },
    ]);
    expect(await materials()).toEqual([]);
    expect(blobCount()).toBe(0);
    // Not even a partial copy was started.
    expect(existsSync(join(core.dataDir, 'blobs', 'tmp'))).toBe(false);
    // A folder holding a pipe imports its files and skips the pipe.
    const folder = join(dir.path, 'week1');
    mkdirSync(folder);
    writeFileSync(join(folder, 'summary.md'), '# Week 1\n\nCells.\n');
    expect(spawnSync('mkfifo', [join(folder, 'pipe')]).status).toBe(0);
    const [only, ...rest] = await importPaths(folder);
    expect(rest).toEqual([]);
    expect(await settled(only!.jobId!)).toMatchObject({ status: 'succeeded' });
  });

  it('removes an upload whose import call is refused, and uploads no call took once they expire', async () => {
    const uploadsDir = core.files.uploadsDir;
    mkdirSync(uploadsDir, { recursive: true });
    const host = await startEngineHost({ core, uiDir: join(dir.path, 'ui'), logger: silentLogger() });
    try {
      const socket = await connectSocket(host.port, host.token);
      const refusedId = crypto.randomUUID();
      writeFileSync(join(uploadsDir, refusedId), 'an upload');
      const refused = await socket.call('materials.import', {
        sources: [{ kind: 'upload', uploadId: refusedId, name: `${'x'.repeat(300)}.txt` }],
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(existsSync(join(uploadsDir, refusedId))).toBe(false);
      socket.close();
    } finally {
      await host.close();
    }
    const forgotten = join(uploadsDir, crypto.randomUUID());
    const fresh = join(uploadsDir, crypto.randomUUID());
    writeFileSync(forgotten, 'a closed tab');
    writeFileSync(fresh, 'an import about to happen');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(forgotten, hourAgo, hourAgo);
    expect(await removeStaleUploads(uploadsDir)).toBe(1);
    expect([existsSync(forgotten), existsSync(fresh)]).toEqual([false, true]);
  });

  it('an import cancelled while it waits leaves nothing behind, so the file can be imported again', async () => {
    await core.value('settings.update', { jobConcurrency: 1 });
    const [first] = await importPaths(fixture('pdf/tracemonkey.pdf'));
    const waiting = await core.value<ImportOutcome>('materials.pasteText', {
      title: 'Later',
      text: 'Wait for me.',
    });
    expect(await core.value<Job>('jobs.cancel', { id: waiting.jobId })).toMatchObject({
      status: 'cancelled',
    });
    await waitFor(materials, (items) => !items.some((m) => m.id === waiting.materialId));
    await settled(first!.jobId!);
    expect((await materials()).map((m) => m.title)).toEqual(['tracemonkey']);
    expect(blobCount()).toBe(1);
    const again = await core.value<ImportOutcome>('materials.pasteText', {
      title: 'Later',
      text: 'Wait for me.',
    });
    expect(again.duplicateOf).toBeUndefined();
    expect(await settled(again.jobId!)).toMatchObject({ status: 'succeeded' });
  });

  it('deleting a material cancels its import, and retrying that import says to import the file again', async () => {
    await core.value('settings.update', { jobConcurrency: 1 });
    const [first] = await importPaths(fixture('pdf/tracemonkey.pdf'));
    const waiting = await core.value<ImportOutcome>('materials.pasteText', {
      title: 'Later',
      text: 'Deleted before it was read.',
    });
    expect(await core.value('materials.delete', { ids: [waiting.materialId] })).toEqual({
      deleted: [waiting.materialId],
    });
    expect(await core.value<Job>('jobs.get', { id: waiting.jobId })).toMatchObject({ status: 'cancelled' });

    // Its file went with it, so the retry has nothing to read: it fails and says why.
    await core.value('jobs.retry', { id: waiting.jobId });
    expect(await settled(waiting.jobId!)).toMatchObject({
      status: 'failed',
      error:
        'This import cannot be retried: its file was removed when the import stopped. Import the file again.',
    });
    await settled(first!.jobId!);
    expect((await materials()).map((m) => m.title)).toEqual(['tracemonkey']);
    expect(blobCount()).toBe(1);
  });

  it('does not run an import cut short by a crash again (it may be what crashed): it fails saying so and leaves nothing behind', async () => {
    await core.close();
    const dataDir = join(dir.path, 'crashed');
    const child = fork(
      fileURLToPath(new URL('../../test-support/import-crash-fixture.ts', import.meta.url)),
      [dataDir, fixture('pdf/scanned-page.pdf')],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      },
    );
    const started = await new Promise<{ jobId: string; materialId: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { jobId: string; materialId: string }));
      child.once('exit', (code) => reject(new Error(`the import fixture exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    core = await openTestCore(dataDir);
    expect(await core.value<Job>('jobs.get', { id: started.jobId })).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringMatching(/^Little Monster stopped unexpectedly while this was running/),
    });
    await waitFor(materials, (items) => items.length === 0);
    await waitFor(blobCount, (count) => count === 0);
    // The student can import it again: nothing says it was imported before.
    const [again] = await importPaths(fixture('pdf/scanned-page.pdf'));
    expect(again).toMatchObject({ materialId: expect.any(String), jobId: expect.any(String) });
    expect(again).not.toHaveProperty('duplicateOf');
  });

  it('imports a file uploaded to the browser-mode host, then clears the upload', async () => {
    const uploadsDir = core.files.uploadsDir;
    const uploadId = crypto.randomUUID();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(uploadsDir, { recursive: true });
    copyFileSync(fixture('pdf/tracemonkey.pdf'), join(uploadsDir, uploadId));
    const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', {
      sources: [{ kind: 'upload', uploadId, name: 'Tracing paper.pdf' }],
    });
    expect(await settled(items[0]!.jobId!)).toMatchObject({ status: 'succeeded' });
    expect((await materials())[0]).toMatchObject({ title: 'Tracing paper', sourceName: 'Tracing paper.pdf' });
    expect(existsSync(join(uploadsDir, uploadId))).toBe(false);
    expect(core.files.materialFile((await materials())[0]!.id).mimeType).toBe('application/pdf');
  });
});
