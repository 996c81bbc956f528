import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type {
  Backup,
  BackupResult,
  Deck,
  EngineEvent,
  Job,
  Lecture,
  Note,
  SearchHit,
  StudyCard,
} from '../../contract/index.js';
import { fixture } from '../../ingest/test-support/fixtures.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';
import { readManifest } from './archive-reader.js';
import { FILE_STORE_FOLDER, newManifest } from './backup-manifest.js';
import { fingerprint, makeStudyData, settled } from './test-support/study-data.js';

const dirs: { remove(): void }[] = [];
const cores: TestCore[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

function newRoot(): string {
  const dir = tempDir('lm-backups-');
  dirs.push(dir);
  return dir.path;
}

async function open(dataDir: string, options: Parameters<typeof openTestCore>[1] = {}): Promise<TestCore> {
  const core = await openTestCore(dataDir, options);
  cores.push(core);
  return core;
}

async function close(core: TestCore): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.close();
}

async function backUp(core: TestCore, target?: string): Promise<BackupResult> {
  const { jobId } = await core.value<{ jobId: string }>('backups.create', target ? { target } : {});
  const job = await settled(core, jobId);
  if (job.status !== 'succeeded') throw new Error(`backup ${job.status}: ${job.error}`);
  return job.result as BackupResult;
}

/** Starts a restore and waits for the engine to reopen on the restored data (or for the job to fail). */
async function restore(
  core: TestCore,
  path: string,
): Promise<{ job: Job; replaced?: string; missingModels?: string[] }> {
  const seen = core.events.length;
  const { jobId } = await core.value<{ jobId: string }>('backups.restore', { path });
  // Followed by its events: once it succeeds, the engine reopens on data that never knew this job.
  const ended = (event: EngineEvent) =>
    event.name === 'job.updated' &&
    event.payload.job.id === jobId &&
    ['succeeded', 'failed', 'cancelled'].includes(event.payload.job.status);
  const end = await waitFor(
    () => core.events.slice(seen).find(ended),
    (found) => found !== undefined,
    60_000,
  );
  const job = (end as Extract<EngineEvent, { name: 'job.updated' }>).payload.job;
  if (job.status !== 'succeeded') return { job };
  const event = await waitFor(
    () => core.events.slice(seen).find((e) => e.name === 'backups.restored'),
    (found) => found !== undefined,
    60_000,
  );
  const payload = event!.payload as { replaced: string; missingModels: string[] };
  return { job, ...payload };
}

const searchPdf = (core: TestCore) =>
  core.value<{ hits: SearchHit[] }>('search.query', {
    query: 'typed trace tree anchored at the loop header',
    mode: 'keyword',
  });

describe('whole backups', () => {
  let root: string;
  beforeAll(() => {
    root = newRoot();
  });

  it(
    'backs up a PDF, a recorded lecture, a studied flashcard and the settings; after the data folder is wiped, restores them byte for byte, searchable and studiable',
    { timeout: 120_000 },
    async () => {
      const dataDir = join(root, 'round-trip', 'data');
      const elsewhere = join(root, 'round-trip', 'usb-drive');
      const core = await open(dataDir);
      const { lecture, materialId } = await makeStudyData(core);
      const { note } = await core.value<{ note: Note }>('study.notes.create', {
        content: { kind: 'basic', front: 'What does a **trace tree** anchor at?', back: 'A loop header' },
        tags: ['tracing'],
      });
      const { card } = await core.value<{ card: StudyCard }>('study.next', { deckId: note.deckId });
      await core.value('study.answer', { cardId: card.id, rating: 3, durationMs: 4200 });
      const decksBefore = await core.value<Deck[]>('study.decks', {});
      // Answered Good, the new card moved into learning: nothing is due until its step ends.
      expect(decksBefore).toEqual([
        expect.objectContaining({ cards: 1, due: { new: 0, learning: 0, review: 0 } }),
      ]);
      await core.value('settings.update', { weekStartsOn: 'sunday' });
      const before = fingerprint(dataDir);
      expect(Object.keys(before.files).some((path) => path.startsWith('blobs/'))).toBe(true);
      expect(before.files[`recordings/${lecture.id}.webm`]).toBeDefined();

      const made = await backUp(core, elsewhere);
      expect(basename(made.path)).toMatch(/^little-monster-.*\.lmbackup$/);
      const manifest = await readManifest(made.path);
      expect(manifest.files.map((file) => file.path).sort()).toEqual(
        ['little-monster.sqlite', ...Object.keys(before.files)].sort(),
      );
      for (const file of manifest.files.filter((f) => f.path !== 'little-monster.sqlite')) {
        expect(file.sha256).toBe(before.files[file.path]);
      }
      await close(core);

      rmSync(dataDir, { recursive: true, force: true });
      const fresh = await open(dataDir);
      expect((await searchPdf(fresh)).hits).toEqual([]);
      const restored = await restore(fresh, made.path);
      expect(restored.job.status).toBe('succeeded');

      expect(fingerprint(dataDir)).toEqual(before);
      // The PDF's page and the flashcard that shares its words are both found again.
      const { hits } = await searchPdf(fresh);
      expect(hits.find((hit) => hit.ref.kind === 'material')).toMatchObject({
        ref: { kind: 'material', id: materialId },
        location: { kind: 'pages', pageStart: 6 },
      });
      expect(hits.map((hit) => hit.ref)).toContainEqual({ kind: 'card', id: note.id });
      const lectures = await fresh.value<Lecture[]>('lectures.list', {});
      expect(lectures).toEqual([
        expect.objectContaining({ id: lecture.id, status: 'recorded', durationMs: lecture.durationMs }),
      ]);
      expect(await fresh.value('settings.get')).toMatchObject({ weekStartsOn: 'sunday' });
      expect(await fresh.value<Note[]>('study.notes.list', { deckId: note.deckId })).toEqual([note]);
      expect(await fresh.value<Deck[]>('study.decks', {})).toEqual(decksBefore);
      // The review history came back: undo finds today's answer in the log and makes the card new again.
      expect(await fresh.value('study.undo', { deckId: note.deckId })).toEqual({ cardId: card.id });
      expect(await fresh.value<Deck[]>('study.decks', {})).toEqual([
        expect.objectContaining({ id: note.deckId, due: { new: 1, learning: 0, review: 0 } }),
      ]);
      // What the restore replaced (the empty data) is kept as a backup of its own.
      const kept = await fresh.value<Backup[]>('backups.list');
      expect(kept).toContainEqual(
        expect.objectContaining({ kind: 'replaced', path: restored.replaced, restorable: true }),
      );
    },
  );

  it(
    'into a folder, copies only what changed since the folder’s last backup',
    { timeout: 120_000 },
    async () => {
      const dataDir = join(root, 'incremental', 'data');
      const folder = join(root, 'incremental', 'backups');
      const core = await open(dataDir);
      await makeStudyData(core);
      const first = await backUp(core, folder);
      const stored = () =>
        readdirSync(join(folder, FILE_STORE_FOLDER), { recursive: true }).filter(
          (name) => String(name).length > 60,
        );
      const storedFirst = stored();
      expect(first.writtenBytes).toBeGreaterThan(first.dataBytes * 0.5);

      const second = await backUp(core, folder);
      expect(stored()).toEqual(storedFirst);
      // Only the archive itself (manifest and database) is written again.
      expect(second.writtenBytes).toBe(second.bytes);
      expect(second.writtenBytes).toBeLessThan(first.writtenBytes);
      expect((await readManifest(second.path)).files.filter((file) => file.in === 'store')).toHaveLength(
        storedFirst.length,
      );

      // Each archive restores on its own from the folder.
      const restoredDir = join(root, 'incremental', 'restored');
      const other = await open(restoredDir);
      expect((await restore(other, first.path)).job.status).toBe('succeeded');
      expect(fingerprint(restoredDir).files).toEqual(fingerprint(dataDir).files);
    },
  );

  it('to a file, writes one self-contained archive', async () => {
    const dataDir = join(root, 'file', 'data');
    const core = await open(dataDir);
    await core.value('classes.create', { name: 'Algebra' });
    const target = join(root, 'file', 'semester.lmbackup');
    const made = await backUp(core, target);
    expect(made.path).toBe(target);
    expect((await readManifest(target)).files.every((file) => file.in === 'archive')).toBe(true);
    const again = await core.value<{ jobId: string }>('backups.create', { target });
    expect(await settled(core, again.jobId)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('already exists'),
    });
  });

  it('cancelled, leaves no archive, no partial file and no snapshot behind', async () => {
    const dataDir = join(root, 'cancel', 'data');
    const core = await open(dataDir);
    await core.value('classes.create', { name: 'Chemistry' });
    const target = join(root, 'cancel', 'usb');
    // Cancelled as soon as it starts, while the database is copied or the archive written.
    const stop = core.subscribe((event) => {
      if (
        event.name === 'job.updated' &&
        event.payload.job.kind === 'backup' &&
        event.payload.job.status === 'running'
      ) {
        void core.dispatch('jobs.cancel', { id: event.payload.job.id });
      }
    });
    const { jobId } = await core.value<{ jobId: string }>('backups.create', { target });
    expect((await settled(core, jobId)).status).toBe('cancelled');
    stop();
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    expect(readdirSync(dataDir)).not.toContain('.backup-snapshot');
    expect(await core.value<Backup[]>('backups.list', { folder: target })).toEqual([]);
    // The next backup goes through.
    expect((await backUp(core, target)).path.startsWith(target)).toBe(true);
  });

  it(
    'refuses a damaged, foreign or newer backup with a clear message and changes nothing',
    { timeout: 60_000 },
    async () => {
      const dataDir = join(root, 'refused', 'data');
      const core = await open(dataDir);
      await core.value('classes.create', { name: 'Physics' });
      const good = await backUp(core, join(root, 'refused', 'good.lmbackup'));
      const before = fingerprint(dataDir);

      const damaged = join(root, 'refused', 'damaged.lmbackup');
      const bytes = readFileSync(good.path);
      // Flip a byte inside the stored database (after the first local header, well before the central directory).
      bytes[200] = bytes[200]! ^ 0xff;
      writeFileSync(damaged, bytes);
      const damagedJob = (await restore(core, damaged)).job;
      expect(damagedJob.status).toBe('failed');
      expect(damagedJob.error).toMatch(/damaged/);

      const foreign = join(root, 'refused', 'notes.lmbackup');
      writeFileSync(foreign, readFileSync(fixture('pdf/tracemonkey.pdf')));
      expect((await restore(core, foreign)).job.error).toMatch(
        /is not a Little Monster backup \(it is not a zip archive\)/,
      );

      const newer = join(root, 'refused', 'newer.lmbackup');
      await writeZip(newer, {
        'manifest.json': JSON.stringify(
          newManifest({
            createdAt: new Date().toISOString(),
            appVersion: '9.0.0',
            schemaVersion: 999,
            automatic: false,
            files: [],
            models: [],
          }),
        ),
      });
      expect((await restore(core, newer)).job.error).toMatch(
        /made by a newer version of Little Monster \(schema 999/,
      );

      expect(fingerprint(dataDir)).toEqual(before);
      expect(readdirSync(dataDir)).not.toContain('.restore');
      expect((await core.value<{ name: string }[]>('classes.list', {})).map((c) => c.name)).toEqual([
        'Physics',
      ]);
    },
  );

  it('restoring the data a restore replaced puts it back', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'undo', 'data');
    const core = await open(dataDir);
    await core.value('classes.create', { name: 'Before' });
    const made = await backUp(core, join(root, 'undo', 'before.lmbackup'));
    await core.value('classes.create', { name: 'After' });
    const restored = await restore(core, made.path);
    expect((await core.value<{ name: string }[]>('classes.list', {})).map((c) => c.name)).toEqual(['Before']);
    await restore(core, restored.replaced!);
    expect((await core.value<{ name: string }[]>('classes.list', {})).map((c) => c.name).sort()).toEqual([
      'After',
      'Before',
    ]);
  });

  it(
    'makes automatic backups into the backups folder, keeping the newest as set',
    { timeout: 90_000 },
    async () => {
      const dataDir = join(root, 'auto', 'data');
      const core = await open(dataDir, { autoBackupCheckMs: 50 });
      await core.value('settings.update', {
        autoBackup: { enabled: true, everyHours: 24, keep: 2, folder: null },
      });
      const automatic = async () =>
        (await core.value<Backup[]>('backups.list')).filter((backup) => backup.automatic);
      await waitFor(automatic, (list) => list.length === 1, 20_000);
      for (let i = 0; i < 2; i++) {
        const job = core.enqueueJob('backup', { target: null, automatic: true });
        await settled(core, job.id);
      }
      const kept = await automatic();
      expect(kept).toHaveLength(2);
      expect(kept.every((backup) => statSync(backup.path).isFile())).toBe(true);

      // Automatic backups set to go elsewhere are listed with the others.
      const usb = join(root, 'auto', 'usb');
      await core.value('settings.update', {
        autoBackup: { enabled: true, everyHours: 24, keep: 2, folder: usb },
      });
      await settled(core, core.enqueueJob('backup', { target: null, automatic: true }).id);
      expect((await automatic()).filter((backup) => backup.path.startsWith(usb))).toHaveLength(1);
    },
  );
});

async function writeZip(path: string, entries: Record<string, string>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const out = zip.outputStream.pipe(createWriteStream(path));
  await finished(out);
}
