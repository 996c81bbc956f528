import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ImportOutcome, Job, Lecture } from '../../../contract/index.js';
import { DATABASE_FILE } from '../../../db/database-copy.js';
import { fixture } from '../../../ingest/test-support/fixtures.js';
import { waitFor, type TestCore } from '../../../test-support/temp-core.js';
import { recordLikeMediaRecorder, SPEECH_WAV } from '../../lectures/test-support/webm-fixture.js';
import { listDataFiles } from '../data-set.js';

export const settled = (core: TestCore, jobId: string, timeoutMs = 60_000) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    timeoutMs,
  );

/** What a student has after a lecture: a class, a PDF imported into it, a lecture recorded from the microphone. */
export async function makeStudyData(core: TestCore): Promise<{ lecture: Lecture; materialId: string }> {
  const { id: classId } = await core.value<{ id: string }>('classes.create', { name: 'Compilers' });
  const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', {
    classId,
    sources: [{ kind: 'path', path: fixture('pdf/tracemonkey.pdf') }],
  });
  const outcome = items[0]!;
  if (!outcome.jobId) throw new Error(`import refused: ${JSON.stringify(outcome)}`);
  const job = await settled(core, outcome.jobId);
  if (job.status !== 'succeeded') throw new Error(`import failed: ${job.error}`);
  const speech = await recordLikeMediaRecorder(SPEECH_WAV);
  const started = await core.value<Lecture>('lectures.start', {
    classId,
    mimeType: 'audio/webm;codecs=opus',
  });
  for (const [seq, chunk] of speech.chunks.entries()) {
    await core.value('lectures.appendChunk', { id: started.id, seq, data: chunk.toString('base64') });
  }
  const lecture = await core.value<Lecture>('lectures.stop', { id: started.id });
  return { lecture, materialId: outcome.materialId! };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * The student's data as content: the sha256 of every data file, and of every table's rows
 * (virtual tables are read through their shadow tables). `jobs` is left out: the restored copy
 * holds the backup job as it was when the snapshot was taken.
 */
export function fingerprint(dataDir: string): {
  files: Record<string, string>;
  tables: Record<string, string>;
} {
  const files = Object.fromEntries(
    listDataFiles(dataDir, join(dataDir, '..', 'models'))
      .map((file) => [file.path, sha256(readFileSync(file.absolute))] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name <> 'jobs' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    return {
      files,
      tables: Object.fromEntries(
        tables.map((table) => {
          const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).raw().all();
          return [
            table,
            sha256(
              JSON.stringify(rows, (_key, value: unknown) =>
                Buffer.isBuffer(value)
                  ? value.toString('hex')
                  : typeof value === 'bigint'
                    ? String(value)
                    : value,
              ),
            ),
          ];
        }),
      ),
    };
  } finally {
    db.close();
  }
}
