import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Settings } from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { openTestCore, tempDir } from '../../test-support/temp-core.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.remove());

it('keeps settings across a restart of the engine', async () => {
  const first = await openTestCore(dir.path);
  await first.value('settings.update', { theme: 'light', jobConcurrency: 4 });
  await first.close();
  const second = await openTestCore(dir.path);
  expect(await second.value<Settings>('settings.get')).toEqual({
    theme: 'light',
    weekStartsOn: 'monday',
    jobConcurrency: 4,
    embeddingModelId: null,
    tutorEngine: { kind: 'auto' },
    transcriptionModelId: null,
    transcriptionLanguage: 'en',
  });
  await second.close();
});

it('reads a stored value that no longer validates as its default, keeping the others', async () => {
  const first = await openTestCore(dir.path);
  await first.value('settings.update', { theme: 'dark', weekStartsOn: 'sunday' });
  await first.close();
  const db = new Database(join(dir.path, DATABASE_FILE));
  db.prepare("UPDATE settings SET value = ? WHERE key = 'theme'").run(JSON.stringify('neon'));
  db.close();
  const second = await openTestCore(dir.path);
  expect(await second.value<Settings>('settings.get')).toMatchObject({
    theme: 'system',
    weekStartsOn: 'sunday',
  });
  await second.close();
});

it('rejects an out-of-range value naming the field, leaving the stored one', async () => {
  const core = await openTestCore(dir.path);
  const result = await core.dispatch('settings.update', { jobConcurrency: 64 });
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT', details: [{ path: 'jobConcurrency' }] },
  });
  expect((await core.value<Settings>('settings.get')).jobConcurrency).toBe(2);
  expect((await core.dispatch('settings.update', {})).ok).toBe(false);
  await core.close();
});
