import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import {
  startAzureOpenAiServer,
  type AzureOpenAiServer,
} from '../../ai/llm/cloud/test-support/azure-openai-server.js';
import { JFK_WAV } from '../../ai/vad/test-support/speech-audio.js';
import type {
  GeneratedItem,
  GeneratedSet,
  ImportOutcome,
  Job,
  Lecture,
  Note,
  QuizAttempt,
  TranscriptSegment,
  Deck,
} from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { hugeImagePdf } from '../../ingest/test-support/hostile-files.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';
import { textHash } from './cited-sources.js';

type Transcript = { segments: TranscriptSegment[] };

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let chatModel: string;
let biologyId: string;
let materialId: string;

const TOPICS = ['mitochondria', 'ribosomes', 'the nucleus', 'chloroplasts', 'the cell membrane'];
/** Five sections of about 900 characters: several prompts for the tiny test model. */
const MATERIAL = TOPICS.map(
  (topic) =>
    `# ${topic}\n\n` +
    `About ${topic}. `.padEnd(900, `${topic} matter to every living cell and are studied in this course. `),
).join('\n\n');

const settled = (jobId: string, timeout = 180_000) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    timeout,
  );

const sets = () => core.value<GeneratedSet[]>('generate.sets', {});
const setOf = (id: string) =>
  core.value<{ set: GeneratedSet; items: GeneratedItem[] }>('generate.set', { id });

async function generated(kind: 'quiz' | 'flashcards', from: object, count: number) {
  const { jobId } = await core.value<{ jobId: string }>('generate.start', { kind, from, count });
  const job = await settled(jobId);
  expect(job, job.error ?? '').toMatchObject({ status: 'succeeded' });
  return setOf((job.result as { setId: string }).setId);
}

/** The text of a source's passages now, read from the database as search holds it. */
function passagesOf(ref: { kind: 'material' | 'lecture'; id: string }): { text: string }[] {
  const db = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT c.text FROM chunks c JOIN search_sources s ON s.id = c.source_id WHERE s.kind = ? AND s.ref_id = ?',
      )
      .all(ref.kind, ref.id) as { text: string }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = tempDir('lm-generate-');
  chatModel = makeTestChatModel(dir.path).path;
  const whisper = makeWhisperModel(join(dir.path, 'whisper-test.bin'), WHISPER_SHAPES.tiny).path;
  const modelCatalogFile = writeModelCatalog(dir.path, [
    { id: 'test-chat', kind: 'llm', file: chatModel, name: 'Test Chat', fileName: 'test-chat.gguf' },
    { id: 'whisper-test', kind: 'stt', file: whisper, name: 'Whisper test' },
  ]);
  core = await openTestCore(
    join(dir.path, 'data'),
    { llmThreads: 1, llmTemperature: 0 },
    { modelCatalogFile },
  );
  biologyId = (await core.value<{ id: string }>('classes.create', { name: 'Biology' })).id;
  const pasted = await core.value<ImportOutcome>('materials.pasteText', {
    classId: biologyId,
    title: 'Cell notes',
    text: MATERIAL,
  });
  expect(await settled(pasted.jobId!)).toMatchObject({ status: 'succeeded' });
  materialId = pasted.materialId!;
}, 120_000);

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

describe('generating without a chat model', () => {
  it('refuses, says why, and queues nothing', async () => {
    const result = await core.dispatch('generate.start', {
      kind: 'quiz',
      from: { kind: 'material', id: materialId },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_INSTALLED' } });
    const jobs = await core.value<Job[]>('jobs.list', {});
    expect(jobs.filter((job) => job.kind === 'generate')).toEqual([]);
  });
});

describe('quizzes and flashcards from the student’s material (real llama.cpp on a generated model)', () => {
  beforeAll(async () => {
    await core.value('models.installFromFile', { id: 'test-chat', path: chatModel });
  });

  let quiz: { set: GeneratedSet; items: GeneratedItem[] };

  it(
    'writes a quiz as a job, every question stored with the passages it cites',
    { timeout: 240_000 },
    async () => {
      const { jobId } = await core.value<{ jobId: string }>('generate.start', {
        kind: 'quiz',
        from: { kind: 'material', id: materialId },
        count: 4,
      });
      const job = await settled(jobId);
      expect(job, job.error ?? '').toMatchObject({ status: 'succeeded', title: 'Quiz from Cell notes' });
      const result = job.result as {
        setId: string;
        report: { sections: number; sectionTokens: number; sourceTokens: number[] };
      };
      expect(result.report.sections).toBeGreaterThan(1);
      for (const tokens of result.report.sourceTokens)
        expect(tokens).toBeLessThanOrEqual(result.report.sectionTokens);
      expect(
        core.events.some(
          (event) =>
            event.name === 'job.progress' &&
            event.payload.id === jobId &&
            /Section 1 of/.test(event.payload.message ?? ''),
        ),
      ).toBe(true);

      quiz = await setOf(result.setId);
      expect(quiz.set).toMatchObject({
        kind: 'quiz',
        classId: biologyId,
        title: 'Quiz: Cell notes',
        madeBy: { id: 'test-chat', cloud: false },
        staleItems: 0,
      });
      expect(quiz.items.length).toBeGreaterThan(0);
      expect(quiz.set.items).toBe(quiz.items.length);
      const now = new Set(passagesOf({ kind: 'material', id: materialId }).map((p) => textHash(p.text)));
      for (const item of quiz.items) {
        expect(item).toMatchObject({ status: 'ready', stale: null });
        expect(['multiple-choice', 'true-false', 'short-answer']).toContain(item.content.type);
        expect(item.sources.length).toBeGreaterThan(0);
        for (const source of item.sources) {
          expect(source.ref).toEqual({ kind: 'material', id: materialId });
          expect(source.title).toBe('Cell notes');
          expect(now.has(source.textHash)).toBe(true);
        }
      }
      expect((await sets()).map((set) => set.id)).toContain(quiz.set.id);
      // Four questions over five sections still mix the kinds of question.
      expect(new Set(quiz.items.map((item) => item.content.type))).toEqual(
        new Set(['multiple-choice', 'true-false', 'short-answer']),
      );
    },
  );

  it(
    'grades a taken quiz: choices exactly, short answers by the model with its reasoning; the student overrules',
    { timeout: 240_000 },
    async () => {
      const answers = quiz.items.map((item) => {
        const { content } = item;
        // Every choice question answered right, every true/false wrong, short answers in words.
        const response =
          content.type === 'multiple-choice'
            ? content.answer
            : content.type === 'true-false'
              ? !content.answer
              : 'the powerhouse of the cell';
        return { itemId: item.id, response };
      });
      const attempt = await core.value<QuizAttempt>('quizzes.grade', { setId: quiz.set.id, answers });
      expect(attempt.total).toBe(quiz.items.length);
      for (const graded of attempt.answers) {
        const item = quiz.items.find((i) => i.id === graded.itemId)!;
        if (item.content.type === 'multiple-choice')
          expect(graded).toMatchObject({ correct: true, reasoning: null });
        if (item.content.type === 'true-false')
          expect(graded).toMatchObject({ correct: false, reasoning: null });
        if (item.content.type === 'short-answer') expect(graded.reasoning!.length).toBeGreaterThan(0);
      }
      expect(attempt.score).toBe(attempt.answers.filter((a) => a.correct).length);

      const wrong = attempt.answers.find((a) => !a.correct) ?? attempt.answers[0]!;
      const overruled = await core.value<QuizAttempt>('quizzes.overrule', {
        attemptId: attempt.id,
        itemId: wrong.itemId,
        correct: !wrong.correct,
      });
      expect(overruled.answers.find((a) => a.itemId === wrong.itemId)).toMatchObject({
        overruled: true,
        correct: !wrong.correct,
      });
      expect(overruled.score).toBe(attempt.score + (wrong.correct ? -1 : 1));

      const history = await core.value<QuizAttempt[]>('quizzes.attempts', { classId: biologyId });
      expect(history[0]).toMatchObject({ id: attempt.id, score: overruled.score, title: 'Quiz: Cell notes' });
    },
  );

  it('turns a question into a flashcard in the class’s deck in one call', async () => {
    const item = quiz.items[0]!;
    const { noteId } = await core.value<{ noteId: string }>('quizzes.toFlashcard', { itemId: item.id });
    const [deck] = await core.value<Deck[]>('study.decks', { classId: biologyId });
    const notes = await core.value<Note[]>('study.notes.list', { deckId: deck!.id });
    const note = notes.find((n) => n.id === noteId)!;
    expect(note.content).toMatchObject({ kind: 'basic' });
    const front = (note.content as { front: string }).front;
    expect(front).toContain(
      item.content.type === 'true-false'
        ? item.content.statement
        : (item.content as { question: string }).question,
    );
  });

  it('refuses answers to questions of another quiz, storing no result', async () => {
    const before = (await core.value<QuizAttempt[]>('quizzes.attempts', {})).length;
    const result = await core.dispatch('quizzes.grade', {
      setId: quiz.set.id,
      answers: [{ itemId: '00000000-0000-4000-8000-000000000009', response: 1 }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await core.value<QuizAttempt[]>('quizzes.attempts', {})).toHaveLength(before);
  });

  it(
    'proposes flashcards, and adds the accepted ones (one edited) to the class’s deck',
    { timeout: 240_000 },
    async () => {
      const cards = await generated(
        'flashcards',
        { kind: 'material', id: materialId, pageStart: 1, pageEnd: 1 },
        3,
      );
      expect(cards.items.length).toBeGreaterThan(1);
      for (const item of cards.items) {
        expect(item.status).toBe('proposed');
        expect(['basic', 'cloze']).toContain(item.content.type);
      }
      const [first, second, ...rest] = cards.items;
      const accepted = await core.value<{ accepted: number; items: GeneratedItem[] }>(
        'generate.acceptCards',
        {
          setId: cards.set.id,
          cards: [
            {
              id: first!.id,
              content: { type: 'basic', front: 'What makes ATP?', back: 'The mitochondrion' },
            },
            { id: second!.id },
          ],
        },
      );
      expect(accepted.accepted).toBe(2);
      const [deck] = await core.value<Deck[]>('study.decks', { classId: biologyId });
      const notes = await core.value<Note[]>('study.notes.list', { deckId: deck!.id });
      expect(notes.find((n) => n.id === accepted.items[0]!.noteId)!.content).toEqual({
        kind: 'basic',
        front: 'What makes ATP?',
        back: 'The mitochondrion',
      });
      expect(notes.find((n) => n.id === accepted.items[1]!.noteId)).toBeDefined();
      const after = await setOf(cards.set.id);
      expect(
        after.items
          .filter((i) => i.status === 'accepted')
          .map((i) => i.id)
          .sort(),
      ).toEqual([first!.id, second!.id].sort());
      for (const item of rest) expect(after.items.find((i) => i.id === item.id)!.status).toBe('proposed');

      // A cloze edited into broken syntax is refused; nothing is added, the card stays proposed.
      if (rest[0]) {
        const count = notes.length;
        const broken = await core.dispatch('generate.acceptCards', {
          setId: cards.set.id,
          cards: [{ id: rest[0].id, content: { type: 'cloze', text: 'The {{c1::cell is', extra: '' } }],
        });
        expect(broken).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        expect(await core.value<Note[]>('study.notes.list', { deckId: deck!.id })).toHaveLength(count);
        expect((await setOf(cards.set.id)).items.find((i) => i.id === rest[0]!.id)!.status).toBe('proposed');
      }
    },
  );

  it('cancelled mid-way, stores nothing', { timeout: 240_000 }, async () => {
    const before = (await sets()).length;
    const { jobId } = await core.value<{ jobId: string }>('generate.start', {
      kind: 'quiz',
      from: { kind: 'material', id: materialId },
      count: 8,
    });
    await waitFor(
      () =>
        core.events.some(
          (e) =>
            e.name === 'job.progress' && e.payload.id === jobId && /Section/.test(e.payload.message ?? ''),
        ),
      (seen) => seen,
      120_000,
    );
    await core.value('jobs.cancel', { id: jobId });
    expect(await settled(jobId)).toMatchObject({ status: 'cancelled' });
    expect(await sets()).toHaveLength(before);
  });

  it(
    'refuses a material with no text, pages without text and a deleted material, queuing nothing',
    { timeout: 120_000 },
    async () => {
      const scan = join(dir.path, 'blank-scan.pdf');
      writeFileSync(scan, hugeImagePdf(30_000, 30_000));
      const { items } = await core.value<{ items: ImportOutcome[] }>('materials.import', {
        classId: biologyId,
        sources: [{ kind: 'path', path: scan }],
      });
      expect(await settled(items[0]!.jobId!)).toMatchObject({ status: 'succeeded' });
      const jobsBefore = (await core.value<Job[]>('jobs.list', {})).length;

      const blank = await core.dispatch('generate.start', {
        kind: 'quiz',
        from: { kind: 'material', id: items[0]!.materialId! },
      });
      expect(blank).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/has no text to generate from/) },
      });
      const pages = await core.dispatch('generate.start', {
        kind: 'quiz',
        from: { kind: 'material', id: materialId, pageStart: 40, pageEnd: 50 },
      });
      expect(pages).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/Those pages have no text/) },
      });
      const missing = await core.dispatch('generate.start', {
        kind: 'flashcards',
        from: { kind: 'material', id: '00000000-0000-4000-8000-000000000009' },
      });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await core.value<Job[]>('jobs.list', {})).toHaveLength(jobsBefore);
    },
  );
});

describe('staleness: items follow their sources (a lecture transcribed by real whisper.cpp)', () => {
  let lecture: Lecture;
  let cards: { set: GeneratedSet; items: GeneratedItem[] };

  beforeAll(async () => {
    await core.value('models.installFromFile', {
      id: 'whisper-test',
      path: join(dir.path, 'whisper-test.bin'),
    });
    const imported = await core.value<{ lecture: Lecture; jobId: string }>('lectures.importAudio', {
      source: { kind: 'path', path: JFK_WAV },
      classId: biologyId,
    });
    lecture = imported.lecture;
    expect(await settled(imported.jobId)).toMatchObject({ status: 'succeeded' });
  }, 180_000);

  it(
    'marks the items citing a corrected transcript line "source changed", and only those',
    { timeout: 240_000 },
    async () => {
      cards = await generated('flashcards', { kind: 'lecture', id: lecture.id }, 3);
      expect(cards.items.length).toBeGreaterThan(0);
      const cited = cards.items[0]!.sources[0]!;
      expect(cited.ref).toEqual({ kind: 'lecture', id: lecture.id });
      expect(cited.location.kind).toBe('time');

      const { segments } = await core.value<Transcript>('transcripts.get', { lectureId: lecture.id });
      const { startSec, endSec } = cited.location as { startSec: number; endSec: number };
      const line = segments.find((s) => s.startMs >= startSec * 1000 && s.startMs <= endSec * 1000)!;
      await core.value<TranscriptSegment>('transcripts.editSegment', {
        id: line.id,
        text: 'The cell membrane keeps the cell whole.',
      });

      const after = await waitFor(
        () => setOf(cards.set.id),
        ({ items }) => items.some((i) => i.stale !== null),
        30_000,
      );
      const passages = new Set(passagesOf({ kind: 'lecture', id: lecture.id }).map((p) => textHash(p.text)));
      for (const item of after.items) {
        const intact = item.sources.every((s) => passages.has(s.textHash));
        expect(item.stale).toBe(intact ? null : 'changed');
      }
      expect(after.items[0]!.stale).toBe('changed');
      expect(after.set.staleItems).toBe(after.items.filter((i) => i.stale).length);
      cards = after;
    },
  );

  it(
    'keeps an item as it is on request, and writes another one again without touching the rest',
    { timeout: 240_000 },
    async () => {
      const [kept, ...others] = cards.items;
      expect(await core.value<GeneratedItem>('generate.keep', { id: kept!.id })).toMatchObject({
        stale: null,
      });

      const target = others[0] ?? kept!;
      const regenerated = await core.value<GeneratedItem>('generate.regenerate', { id: target.id });
      expect(regenerated).toMatchObject({ id: target.id, stale: null, ordinal: target.ordinal });
      expect(regenerated.content.type).toBe(target.content.type);
      const passages = new Set(passagesOf({ kind: 'lecture', id: lecture.id }).map((p) => textHash(p.text)));
      for (const source of regenerated.sources) expect(passages.has(source.textHash)).toBe(true);

      const after = await setOf(cards.set.id);
      for (const item of after.items.filter((i) => i.id !== target.id && i.id !== kept!.id))
        expect(item).toEqual(cards.items.find((i) => i.id === item.id));
      expect(after.items.find((i) => i.id === kept!.id)!.stale).toBeNull();
    },
  );

  it('marks every item "source removed" when the lecture is deleted', { timeout: 60_000 }, async () => {
    await core.value('lectures.delete', { id: lecture.id });
    const after = await waitFor(
      () => setOf(cards.set.id),
      ({ items }) => items.every((i) => i.stale === 'removed'),
      30_000,
    );
    expect(after.set.staleItems).toBe(after.items.length);
    const refused = await core.dispatch('generate.regenerate', { id: after.items[0]!.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/was deleted/) },
    });
  });

  it(
    'marks a quiz’s questions "source removed" when its material is deleted',
    { timeout: 60_000 },
    async () => {
      const quizSet = (await sets()).find((set) => set.kind === 'quiz' && set.from.kind === 'material')!;
      await core.value('materials.delete', { ids: [materialId] });
      const after = await waitFor(
        () => setOf(quizSet.id),
        ({ items }) => items.every((i) => i.stale === 'removed'),
        30_000,
      );
      expect(after.items.length).toBeGreaterThan(0);
    },
  );
});

describe('a cloud engine that answers with invalid JSON (Azure OpenAI wire format on 127.0.0.1)', () => {
  let azure: AzureOpenAiServer;
  beforeAll(async () => {
    azure = await startAzureOpenAiServer({ apiKey: 'student-key-123', deployments: ['gpt-4o-mini'] });
    await core.value('cloud.configure', {
      provider: 'azure',
      endpoint: azure.url,
      deployment: 'gpt-4o-mini',
      apiKey: 'student-key-123',
    });
    await core.value('settings.update', { tutorEngine: { kind: 'cloud', provider: 'azure' } });
  });
  afterAll(async () => {
    // The test keychain is the computer's: the service's key and address must not outlive the test.
    await core.value('cloud.remove', { provider: 'azure' });
    await core.value('settings.update', { tutorEngine: { kind: 'auto' } });
    await azure.close();
  });

  it('fails the job with a clear reason and stores nothing', { timeout: 120_000 }, async () => {
    const pasted = await core.value<ImportOutcome>('materials.pasteText', {
      classId: biologyId,
      title: 'Ribosomes',
      text: 'Ribosomes build proteins from amino acids, reading messenger RNA three bases at a time.',
    });
    await settled(pasted.jobId!);
    const before = (await sets()).length;
    azure.answer = { text: ['{"multipleChoice": [{"question": "What do ribosomes build?", "options": ['] };
    const { jobId } = await core.value<{ jobId: string }>('generate.start', {
      kind: 'quiz',
      from: { kind: 'material', id: pasted.materialId! },
      count: 2,
    });
    const job = await settled(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/not valid JSON, so nothing was saved/);
    expect(await sets()).toHaveLength(before);
    // The request held the service to the schema, whose sources are the prompt's passages only.
    const body = azure.requests.at(-1)!.body as { response_format: { json_schema: { schema: unknown } } };
    expect(JSON.stringify(body.response_format.json_schema.schema)).toContain('"enum":["S1"]');
  });
});
