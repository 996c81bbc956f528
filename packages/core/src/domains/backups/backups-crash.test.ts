import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup, BackupResult } from '../../contract/index.js';
import { openTestCore, tempDir, type TestCore } from '../../test-support/temp-core.js';
import { fingerprint, settled } from './test-support/study-data.js';

const fixtureScript = fileURLToPath(new URL('./test-support/backup-crash-fixture.ts', import.meta.url));

/** Runs the crash fixture; `killOn` says when the parent kills it (the `swap` mode kills itself). */
async function crash(args: string[], killOn: 'progress' | 'never'): Promise<void> {
  const child = fork(fixtureScript, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exit = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  if (killOn === 'progress') {
    child.on('message', (message: { progress?: number }) => {
      // The first sign of progress: the job is under way, its output not yet complete.
      if (message.progress !== undefined && message.progress < 1) child.kill('SIGKILL');
    });
  }
  const signal = await exit;
  if (signal !== 'SIGKILL') throw new Error(`the fixture ended on its own (${signal ?? 'exit'}): ${output}`);
}

/** The student's data at two moments: `before` is backed up, `after` is what a restore replaces. */
describe('a backup or a restore stopped by SIGKILL', () => {
  let root: { path: string; remove(): void };
  let archive: string;
  let after: string;
  let before: ReturnType<typeof fingerprint>;
  let afterPrint: ReturnType<typeof fingerprint>;

  const withData = async (dataDir: string, work: (core: TestCore) => Promise<void>) => {
    const core = await openTestCore(dataDir);
    try {
      await work(core);
    } finally {
      await core.close();
    }
  };

  beforeAll(async () => {
    root = tempDir('lm-backups-crash-');
    const dataDir = join(root.path, 'data');
    archive = join(root.path, 'before.lmbackup');
    await withData(dataDir, async (core) => {
      await core.value('classes.create', { name: 'Before' });
      // A folder of a domain the backup knows nothing about is its data too.
      mkdirSync(join(dataDir, 'notes'), { recursive: true });
      writeFileSync(join(dataDir, 'notes', 'a.bin'), randomBytes(1 << 20));
      const { jobId } = await core.value<{ jobId: string }>('backups.create', { target: archive });
      expect((await settled(core, jobId)).status).toBe('succeeded');
    });
    before = fingerprint(dataDir);
    await withData(dataDir, async (core) => {
      await core.value('classes.create', { name: 'After' });
      writeFileSync(join(dataDir, 'notes', 'b.bin'), randomBytes(1 << 20));
    });
    after = dataDir;
    afterPrint = fingerprint(dataDir);
  }, 60_000);
  afterAll(() => root.remove());

  it('during a backup leaves no archive under its final name, and the next backup clears what it left', async () => {
    const dataDir = join(root.path, 'big');
    cpSync(after, dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'notes', 'big.bin'), randomBytes(128 << 20));
    const target = join(root.path, 'killed-backups');
    await crash(['backup', dataDir, target], 'progress');

    const left = readdirSync(target);
    expect(left.filter((name) => name.endsWith('.lmbackup'))).toEqual([]);
    await withData(dataDir, async (core) => {
      expect(existsSync(join(dataDir, '.backup-snapshot'))).toBe(false);
      // The interrupted backup resumes as a new one and completes; nothing half-written stays.
      const [resumed] = await core.value<{ id: string; kind: string }[]>('jobs.list', {});
      const done = await settled(core, resumed!.id, 60_000);
      expect(done.status).toBe('succeeded');
      expect(readdirSync(target).filter((name) => name.endsWith('.part'))).toEqual([]);
      const listed = await core.value<Backup[]>('backups.list', { folder: target });
      expect(listed.map((backup) => backup.path)).toEqual([(done.result as BackupResult).path]);
    });
  }, 120_000);

  it('while the backup is checked leaves the data as it was', async () => {
    const dataDir = join(root.path, 'staging');
    cpSync(after, dataDir, { recursive: true });
    // A bigger archive, so the kill lands while it is read.
    const big = join(root.path, 'big-before');
    cpSync(after, big, { recursive: true });
    writeFileSync(join(big, 'notes', 'big.bin'), randomBytes(96 << 20));
    const bigArchive = join(root.path, 'big.lmbackup');
    await withData(big, async (core) => {
      const { jobId } = await core.value<{ jobId: string }>('backups.create', { target: bigArchive });
      expect((await settled(core, jobId)).status).toBe('succeeded');
    });
    await crash(['stage', dataDir, bigArchive], 'progress');
    expect(fingerprint(dataDir)).toEqual(afterPrint);
    await withData(dataDir, async (core) => {
      expect(existsSync(join(dataDir, '.restore'))).toBe(false);
      expect((await core.value<{ name: string }[]>('classes.list', {})).map((c) => c.name).sort()).toEqual([
        'After',
        'Before',
      ]);
    });
  }, 120_000);

  for (const moves of [1, 2, 3, 5]) {
    it(`after ${moves} move(s) of the swap leaves the new data once the engine starts again, the old kept aside`, async () => {
      const dataDir = join(root.path, `swap-${moves}`);
      cpSync(after, dataDir, { recursive: true });
      await crash(['swap', dataDir, archive, String(moves)], 'never');
      await withData(dataDir, async (core) => {
        expect(fingerprint(dataDir)).toEqual(before);
        expect((await core.value<{ name: string }[]>('classes.list', {})).map((c) => c.name)).toEqual([
          'Before',
        ]);
        const [replaced] = (await core.value<Backup[]>('backups.list')).filter(
          (backup) => backup.kind === 'replaced',
        );
        expect(replaced).toBeDefined();
        expect(fingerprint(replaced!.path).files).toEqual(afterPrint.files);
      });
    }, 60_000);
  }
});
