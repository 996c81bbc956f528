/**
 * A battery of files made to hurt an importer, each imported through the engine's real
 * procedures, once as a path and once as a browser upload. For every one: the student gets a
 * clear message (or, where the file really holds readable pages, exactly those pages), the
 * engine keeps answering other calls while it works, and a refused file leaves nothing behind:
 * no material, stored file, upload or recording.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOutcome, Job, Lecture, Material, MaterialPage } from '../../contract/index.js';
import { fixture } from '../../ingest/test-support/fixtures.js';
import {
  deepArrayPdf,
  deepPageTreePdf,
  entityBombDocx,
  externalEntityDocx,
  hugeImagePdf,
  hugeJpeg,
  hugePng,
  hugeTiff,
  hugeWebp,
  lyingWav,
  manyPartsDocx,
  pageCountLiePdf,
  truncated,
  zipBombDocx,
} from '../../ingest/test-support/hostile-files.js';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import { JFK_WAV } from '../../ai/vad/test-support/speech-audio.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';
import { MAX_AUDIO_IMPORT_BYTES, RECORDINGS_FOLDER } from '../lectures/lectures-service.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let whisperModel: string;

beforeAll(async () => {
  dir = tempDir('lm-hostile-');
  whisperModel = makeWhisperModel(join(dir.path, 'whisper-test.bin'), WHISPER_SHAPES.tiny).path;
  const modelCatalogFile = writeModelCatalog(dir.path, [
    { id: 'whisper-test', kind: 'stt', file: whisperModel },
  ]);
  core = await openTestCore(join(dir.path, 'data'), {}, { modelCatalogFile });
}, 60_000);
afterAll(async () => {
  await core.close();
  dir.remove();
});

const SECRET = 'the contents of a private file';
const BOMB =
  /^This Word document unpacks to far more than it holds on disk .* so Little Monster did not open it\./;
const DOCTYPE = /^This Word document contains a document type declaration, which Office never writes/;
const TOO_BIG_IMAGE = (size: string) =>
  new RegExp(
    `^This image is ${size} pixels .*: more than the 50 megapixels Little Monster reads.*Scale it down`,
  );

/**
 * Each hostile file: its name, its bytes (made on first use), and what the student must get:
 * a refusal saying why, or (for a file that really holds a readable page) exactly that page.
 */
const battery: {
  name: string;
  bytes: () => Buffer;
  expected: RegExp | { pages: string[]; warning?: RegExp };
}[] = [
  { name: 'report.docx', bytes: () => zipBombDocx(100_000_000), expected: BOMB },
  { name: 'lying-report.docx', bytes: () => zipBombDocx(100_000_000, { lie: true }), expected: BOMB },
  {
    name: 'many-parts.docx',
    bytes: () => manyPartsDocx(2_000, 100_000),
    expected: /^This Word document is made of 2,003 parts, far more than a real Word document has/,
  },
  { name: 'laughs.docx', bytes: () => entityBombDocx(), expected: DOCTYPE },
  {
    name: 'leak.docx',
    bytes: () => {
      const secret = join(dir.path, 'secret.txt');
      writeFileSync(secret, SECRET);
      return externalEntityDocx(secret);
    },
    expected: DOCTYPE,
  },
  { name: 'poster.png', bytes: () => hugePng(30_000, 30_000), expected: TOO_BIG_IMAGE('30000 × 30000') },
  { name: 'poster.jpg', bytes: () => hugeJpeg(60_000, 60_000), expected: TOO_BIG_IMAGE('60000 × 60000') },
  { name: 'poster.webp', bytes: () => hugeWebp(16_000, 16_000), expected: TOO_BIG_IMAGE('16000 × 16000') },
  {
    name: 'poster.tiff',
    bytes: () => hugeTiff(100_000, 100_000),
    expected: TOO_BIG_IMAGE('100000 × 100000'),
  },
  // The page tree claims a billion pages: only the one that exists is read.
  {
    name: 'billion-pages.pdf',
    bytes: () => pageCountLiePdf(1_000_000_000),
    expected: { pages: ['The only real page.'] },
  },
  { name: 'deep-tree.pdf', bytes: () => deepPageTreePdf(5_000), expected: { pages: ['Deep down.'] } },
  {
    name: 'deep-array.pdf',
    bytes: () => deepArrayPdf(100_000),
    expected: /^This PDF is damaged and none of its pages could be read\.$/,
  },
  // Its one picture would decode to 900 megapixels: it is left out, and the student is told why.
  {
    name: 'huge-picture.pdf',
    bytes: () => hugeImagePdf(30_000, 30_000),
    expected: {
      pages: [''],
      warning:
        /^Page 1: it holds a picture too large to read, over the 50 megapixels Little Monster decodes, so it was left out .* Scan or export the pages at a lower resolution/,
    },
  },
  {
    name: 'cut-short.pdf',
    bytes: () => truncated(readFileSync(fixture('pdf/tracemonkey.pdf')), 0.3),
    expected:
      /^This PDF is damaged and could not be read\. If a PDF viewer can open it, print it to a new PDF/,
  },
  {
    name: 'cut-short.png',
    bytes: () => truncated(readFileSync(fixture('images/tracemonkey-page2.png')), 0.3),
    expected: /^This image could not be read/,
  },
  {
    name: 'cut-short.docx',
    bytes: () => truncated(zipBombDocx(20_000), 0.5),
    expected: /^This Word document is damaged and could not be opened\. Save it again in Office/,
  },
  {
    name: 'lecture.wav',
    bytes: () => lyingWav(4_000_000_000, 48_000),
    expected:
      /^This file is an audio recording, which Little Monster cannot import\..*Recordings go in Lectures/,
  },
];

const materials = async () => (await core.value<{ items: Material[] }>('materials.list')).items;
const filesIn = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    : [];

/**
 * Imports one file and waits for its job, calling settings.get between every look at the job:
 * an engine stalled by the file would leave that call, and so the test, hanging.
 */
async function importWhileProbing(source: unknown): Promise<{ outcome: ImportOutcome; reason: string }> {
  const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', { sources: [source] });
  const outcome = items[0]!;
  if (outcome.error) return { outcome, reason: outcome.error };
  for (;;) {
    await core.value('settings.get');
    const job = await core.value<Job>('jobs.get', { id: outcome.jobId });
    if (job.status === 'succeeded') return { outcome, reason: 'imported' };
    if (job.status === 'failed' || job.status === 'cancelled') return { outcome, reason: job.error ?? '' };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Where the file goes in: its path, or a copy in the uploads folder as the browser mode sends it. */
function sourceOf(via: 'path' | 'upload', file: string, name: string) {
  if (via === 'path') return { kind: 'path', path: file };
  const uploadId = crypto.randomUUID();
  mkdirSync(core.files.uploadsDir, { recursive: true });
  copyFileSync(file, join(core.files.uploadsDir, uploadId));
  return { kind: 'upload', uploadId, name };
}

/** Nothing of a refused or deleted file is left: no material, stored file, upload or recording. */
async function expectNothingLeft(): Promise<void> {
  expect(await materials()).toEqual([]);
  expect(await core.value('lectures.list')).toEqual([]);
  expect(filesIn(join(core.dataDir, 'blobs'))).toEqual([]);
  expect(filesIn(core.files.uploadsDir)).toEqual([]);
  expect(filesIn(join(core.dataDir, RECORDINGS_FOLDER))).toEqual([]);
}

describe('hostile files', () => {
  for (const via of ['path', 'upload'] as const) {
    it.each(battery)(
      `$name (${via})`,
      async ({ name, bytes, expected }) => {
        const file = join(dir.path, name);
        if (!existsSync(file)) writeFileSync(file, bytes());
        const source = sourceOf(via, file, name);
        const { outcome, reason } = await importWhileProbing(source);
        if (expected instanceof RegExp) {
          expect(reason).toMatch(expected);
        } else {
          expect(reason).toBe('imported');
          const material = await core.value<Material>('materials.get', { id: outcome.materialId });
          const pages: string[] = [];
          for (let page = 1; page <= material.pageCount; page++)
            pages.push((await core.value<MaterialPage>('materials.page', { id: material.id, page })).text);
          expect(pages).toEqual(expected.pages);
          if (expected.warning)
            expect(material.warnings).toContainEqual(expect.stringMatching(expected.warning));
          await core.value('materials.delete', { ids: [material.id] });
        }
        // Nothing of the private file reached the library.
        expect(JSON.stringify(core.events)).not.toContain(SECRET);
        await expectNothingLeft();
      },
      180_000,
    );
  }
});

describe('hostile recordings', () => {
  /** Each recording whose header lies or is cut short, and the length it really plays for. */
  const recordings: { name: string; bytes: () => Buffer; playsMs: number }[] = [
    // Its header claims 4 GB (over 6 hours) of samples; one second follows.
    { name: 'lying-lecture.wav', bytes: () => lyingWav(4_000_000_000, 192_000), playsMs: 1000 },
    // The first 30% of an 11-second speech: its header still says 11 seconds.
    { name: 'cut-short-lecture.wav', bytes: () => truncated(readFileSync(JFK_WAV), 0.3), playsMs: 3300 },
  ];
  for (const via of ['path', 'upload'] as const) {
    it.each(recordings)(
      `$name (${via})`,
      async ({ name, bytes, playsMs }) => {
        await core.value('models.installFromFile', { id: 'whisper-test', path: whisperModel });
        const file = join(dir.path, name);
        if (!existsSync(file)) writeFileSync(file, bytes());
        const { lecture, jobId } = await core.value<{ lecture: Lecture; jobId: string }>(
          'lectures.importAudio',
          {
            source: sourceOf(via, file, name),
          },
        );
        // Its length is what the file holds, not what its header says.
        expect(lecture.durationMs).toBeCloseTo(playsMs, -2);
        const job = await waitFor(
          async () => {
            await core.value('settings.get');
            return core.value<Job>('jobs.get', { id: jobId });
          },
          (job) => !['queued', 'running'].includes(job.status),
          120_000,
        );
        expect(job).toMatchObject({ status: 'succeeded', error: null });
        await core.value('lectures.delete', { id: lecture.id });
        await expectNothingLeft();
      },
      180_000,
    );
  }

  for (const via of ['path', 'upload'] as const) {
    it(`refuses a recording larger than an import takes before copying a byte of it (${via})`, async () => {
      // Sparse: over 2 GB long, no disk space used. A real WAV header, then silence.
      const name = 'three-days.wav';
      const uploadId = crypto.randomUUID();
      mkdirSync(core.files.uploadsDir, { recursive: true });
      const file = via === 'path' ? join(dir.path, name) : join(core.files.uploadsDir, uploadId);
      writeFileSync(file, lyingWav(MAX_AUDIO_IMPORT_BYTES, 48_000));
      truncateSync(file, MAX_AUDIO_IMPORT_BYTES + 1);
      const source = via === 'path' ? { kind: 'path', path: file } : { kind: 'upload', uploadId, name };
      const result = await core.dispatch('lectures.importAudio', { source });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: expect.stringMatching(
            /^This recording is 2\.1 GB, larger than the 2 GB Little Monster can import\. Save it in a compressed format/,
          ),
        },
      });
      await expectNothingLeft();
    });
  }
});
