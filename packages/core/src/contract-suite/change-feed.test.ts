/**
 * The change feed against every procedure of the contract: each procedure that changes data runs
 * on a real engine (real models, real files), and the rows it changed (found by comparing the
 * database before and after) must be exactly the rows the feed recorded, with the columns that
 * changed. Procedures that only read must record nothing. A new procedure fails this test until
 * it is listed here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../scripts/fixtures/make-llama-model.js';
import { makePiperVoice } from '../../../../scripts/fixtures/make-piper-voice.js';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../../../../scripts/fixtures/model-catalog.js';
import { JFK_WAV, readWav } from '../ai/vad/test-support/speech-audio.js';
import {
  procedures,
  type BackupResult,
  type Conversation,
  type GeneratedItem,
  type GeneratedSet,
  type ImportOutcome,
  type Job,
  type Lecture,
  type LectureBookmark,
  type Note,
  type ProcedureName,
  type QuizAttempt,
  type Result,
  type StudyCard,
  type StudyClass,
  type TranscriptSegment,
  type TranscriptStatus,
  type TutorMessage,
  type WrittenNote,
} from '../contract/index.js';
import { DATABASE_FILE } from '../db/open-database.js';
import {
  recordLikeMediaRecorder,
  type LiveRecording,
} from '../domains/lectures/test-support/webm-fixture.js';
import { biologyCollection } from '../domains/study/anki/test-support/biology-collection.js';
import { writeTestPackage } from '../domains/study/anki/test-support/anki-packages.js';
import { startModelServer, type ModelServer } from '../models/test-support/model-server.js';
import { testJobHandlers, type Gate } from '../test-support/test-job-handlers.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';

/** Tables that are not the student's data: the index, the queue, the feed itself. */
const NOT_USER_DATA =
  /^(jobs|chunks.*|chunk_vec_.*|search_sources|embedding_indexes|changes|change_clock|sync_.*|__drizzle_migrations|sqlite_.*)$/;

/** Procedures that only read. */
const READS: ProcedureName[] = [
  'account.status',
  'app.info',
  'app.graphics',
  'backups.list',
  'classes.list',
  'classes.get',
  'settings.get',
  'jobs.list',
  'jobs.get',
  'models.list',
  'materials.list',
  'materials.get',
  'materials.page',
  'materials.find',
  'search.query',
  'conversations.list',
  'conversations.get',
  'tutor.status',
  'readAloud.voices',
  'lectures.list',
  'lectures.get',
  'transcripts.get',
  'transcripts.statuses',
  'transcripts.export',
  'study.decks',
  'study.notes.list',
  'study.next',
  'study.examForecast',
  'notes.list',
  'notes.get',
  'notes.export',
  'study.notes.get',
  'study.stats',
  'study.optimiser',
  'generate.sets',
  'generate.set',
  'quizzes.attempts',
];

/**
 * Procedures that need the account server, whose package builds on this one: the feed of each is
 * checked where two engines sync through it (apps/server/src/sync/desktop-sync.test.ts).
 */
const NEED_THE_SERVER: ProcedureName[] = [
  'account.signUp',
  'account.signIn',
  'account.signOut',
  'account.unlockSync',
  'account.syncNow',
];

type Rows = Map<string, Map<string, Record<string, unknown>>>;
interface Change {
  seq: number;
  tableName: string;
  rowId: string;
  operation: 'insert' | 'update' | 'delete';
  columns: string | null;
}

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let file: Database.Database;
let server: ModelServer;
let recording: LiveRecording;
const gate: Gate = { open: false, attempts: new Map(), running: 0, maxRunning: 0 };
const models = { chat: '', whisper: '' };

beforeAll(async () => {
  dir = tempDir('lm-change-feed-');
  models.chat = makeTestChatModel(dir.path).path;
  models.whisper = makeWhisperModel(join(dir.path, 'whisper-test.bin'), WHISPER_SHAPES.tiny).path;
  const voice = makePiperVoice({ dir: dir.path, name: 'voice-test' });
  server = await startModelServer(readFileSync(voice.modelPath), {
    '/model.json': readFileSync(voice.configPath),
  });
  const modelCatalogFile = writeModelCatalog(dir.path, [
    { id: 'test-chat', kind: 'llm', file: models.chat },
    { id: 'whisper-test', kind: 'stt', file: models.whisper },
    {
      id: 'voice-test',
      kind: 'tts',
      file: voice.modelPath,
      url: server.url('/model'),
      settingsUrl: server.url('/model.json'),
    },
  ]);
  core = await openTestCore(
    join(dir.path, 'data'),
    { llmThreads: 1, llmTemperature: 0, jobHandlers: testJobHandlers(gate) },
    { modelCatalogFile },
  );
  file = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
  recording = await recordLikeMediaRecorder(JFK_WAV);
}, 120_000);

afterAll(async () => {
  file?.close();
  await core?.close();
  await server?.close();
  dir?.remove();
});

/** Every row of the student's data, and the feed after `afterSeq`, as of one moment (one read transaction). */
function snapshot(afterSeq = 0): { rows: Rows; changes: Change[]; seq: number } {
  return file.transaction(() => {
    const rows: Rows = new Map();
    const tables = file
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    for (const table of tables.filter((name) => !NOT_USER_DATA.test(name))) {
      const key = (file.pragma(`table_info("${table}")`) as { name: string; pk: number }[])
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => column.name);
      const byId = new Map<string, Record<string, unknown>>();
      for (const row of file.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
        byId.set(key.map((column) => String(row[column])).join(':'), row);
      rows.set(table, byId);
    }
    const changes = file
      .prepare(
        'SELECT seq, table_name AS tableName, row_id AS rowId, operation, columns FROM changes WHERE seq > ? ORDER BY seq',
      )
      .all(afterSeq) as Change[];
    const seq = (file.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck().get() as number) ?? 0;
    return { rows, changes, seq };
  })();
}

/** What changed between two snapshots, row by row: `table row` to the columns that differ (all for an insert or delete). */
function diff(before: Rows, after: Rows): Map<string, { operation: Change['operation']; columns: string[] }> {
  const changed = new Map<string, { operation: Change['operation']; columns: string[] }>();
  for (const [table, rows] of after) {
    const earlier = before.get(table) ?? new Map();
    for (const [id, row] of rows) {
      const old = earlier.get(id);
      if (!old) changed.set(`${table} ${id}`, { operation: 'insert', columns: Object.keys(row) });
      else {
        const columns = Object.keys(row).filter((column) => row[column] !== old[column]);
        if (columns.length > 0) changed.set(`${table} ${id}`, { operation: 'update', columns });
      }
    }
    for (const [id, row] of earlier) {
      if (!rows.has(id)) changed.set(`${table} ${id}`, { operation: 'delete', columns: Object.keys(row) });
    }
  }
  return changed;
}

/** Checks that the feed recorded exactly what changed; returns the tables that changed. */
function expectFeedToMatch(before: ReturnType<typeof snapshot>, procedure: string): string[] {
  const after = snapshot(before.seq);
  const changed = diff(before.rows, after.rows);
  const recorded = new Map<string, Change[]>();
  for (const change of after.changes) {
    const key = `${change.tableName} ${change.rowId}`;
    recorded.set(key, [...(recorded.get(key) ?? []), change]);
  }
  // Every changed row was recorded, as what happened to it, with every column that changed.
  for (const [key, { operation, columns }] of changed) {
    const records = recorded.get(key);
    expect(records, `${procedure}: ${operation} of ${key} was not recorded`).toBeDefined();
    const operations = records!.map((record) => record.operation);
    if (operation === 'insert') expect(operations[0], `${procedure}: ${key}`).toBe('insert');
    if (operation === 'delete') expect(operations.at(-1), `${procedure}: ${key}`).toBe('delete');
    if (operation === 'update') {
      const written = new Set(records!.flatMap((record) => JSON.parse(record.columns ?? '[]') as string[]));
      const missing = columns.filter((column) => !written.has(column));
      expect(missing, `${procedure}: columns of ${key} changed without a record`).toEqual([]);
    }
  }
  // And nothing else was: a recorded row that is not changed now was inserted and deleted again.
  for (const [key, records] of recorded) {
    if (changed.has(key)) continue;
    const operations = records.map((record) => record.operation);
    expect([operations[0], operations.at(-1)], `${procedure}: ${key} recorded but unchanged`).toEqual([
      'insert',
      'delete',
    ]);
  }
  return [...new Set([...changed.keys()].map((key) => key.split(' ')[0]!))].sort();
}

/** The state the scenarios hand on to each other. */
const ids = {} as {
  biology: string;
  history: string;
  pasted: ImportOutcome;
  imported: ImportOutcome;
  waiting: ImportOutcome;
  gatedJob: string;
  conversation: Conversation;
  answer: TutorMessage;
  lecture: Lecture;
  bookmark: LectureBookmark;
  audioLecture: Lecture;
  segment: TranscriptSegment;
  reading: string;
  liveLecture: Lecture;
  backup: string;
  note: Note;
  writtenNote: WrittenNote;
  scratchNote: string;
  extraNote: Note;
  cards: GeneratedSetWithItems;
  quiz: GeneratedSetWithItems;
  attempt: QuizAttempt;
};

type GeneratedSetWithItems = { set: GeneratedSet; items: GeneratedItem[] };

/** Generates from the pasted material and waits for the job: the set it made, with its items. */
async function generatedFrom(kind: 'quiz' | 'flashcards', count: number): Promise<GeneratedSetWithItems> {
  const { jobId } = await core.value<{ jobId: string }>('generate.start', {
    kind,
    from: { kind: 'material', id: ids.pasted.materialId },
    count,
  });
  return setFrom(await settled(jobId));
}
const setFrom = (job: Job) =>
  core.value<GeneratedSetWithItems>('generate.set', { id: (job.result as { setId: string }).setId });

const settled = (jobId: string) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    120_000,
  );
const answerDone = (conversationId: string, answerId: string) =>
  waitFor(
    () => core.value<{ messages: TutorMessage[] }>('conversations.get', { id: conversationId }),
    ({ messages }) =>
      ['complete', 'stopped', 'failed'].includes(messages.find((m) => m.id === answerId)?.status ?? ''),
    60_000,
  );
const transcriptOf = (lectureId: string) =>
  core.value<{ status: TranscriptStatus; segments: TranscriptSegment[] }>('transcripts.get', { lectureId });
const pcm16 = (samples: Float32Array) => {
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((value, i) =>
    bytes.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(value * 32767))), i * 2),
  );
  return bytes.toString('base64');
};

interface Scenario {
  procedure: ProcedureName;
  /** Calls that set the scene (their changes are not this procedure's). */
  prepare?(): Promise<void>;
  /** Calls the procedure (once or more) and returns its last answer. */
  act(call: (input: unknown) => Promise<unknown>): Promise<unknown>;
  /** Waits for the background work the procedure started. */
  settle?(answer: unknown): Promise<void>;
  /** The tables whose rows it changes (what the scenario proves it exercised); null: it may vary. */
  tables: string[] | ((answer: unknown) => string[] | null);
}

const scenarios: Scenario[] = [
  {
    procedure: 'classes.create',
    act: async (call) => {
      const created = (await call({
        name: 'Biology',
        exams: [{ title: 'Final', date: '2026-12-14' }],
      })) as StudyClass;
      ids.biology = created.id;
      return created;
    },
    tables: ['class_exams', 'classes'],
  },
  {
    procedure: 'classes.update',
    act: (call) =>
      call({
        id: ids.biology,
        patch: { name: 'Cell biology', exams: [{ title: 'Midterm', date: '2026-10-20' }] },
      }),
    tables: ['class_exams', 'classes'],
  },
  {
    procedure: 'classes.reorder',
    prepare: async () => {
      ids.history = (await core.value<StudyClass>('classes.create', { name: 'History' })).id;
    },
    act: (call) => call({ ids: [ids.history, ids.biology] }),
    tables: ['classes'],
  },
  { procedure: 'settings.update', act: (call) => call({ theme: 'dark' }), tables: ['settings'] },
  {
    procedure: 'materials.pasteText',
    act: async (call) => {
      ids.pasted = (await call({
        classId: ids.biology,
        title: 'Cells',
        text: 'The mitochondrion is the powerhouse of the cell.',
      })) as ImportOutcome;
      return ids.pasted;
    },
    settle: async () => void (await settled(ids.pasted.jobId!)),
    tables: ['material_pages', 'materials'],
  },
  {
    procedure: 'materials.import',
    prepare: async () => {
      writeFileSync(join(dir.path, 'osmosis.md'), '# Osmosis\n\nWater moves across a membrane.\n');
    },
    act: async (call) => {
      const { items } = (await call({ sources: [{ kind: 'path', path: join(dir.path, 'osmosis.md') }] })) as {
        items: ImportOutcome[];
      };
      ids.imported = items[0]!;
      return items;
    },
    settle: async () => void (await settled(ids.imported.jobId!)),
    tables: ['material_pages', 'materials'],
  },
  {
    procedure: 'materials.update',
    act: (call) =>
      call({ id: ids.imported.materialId, patch: { title: 'Osmosis notes', classId: ids.history } }),
    tables: ['materials'],
  },
  {
    procedure: 'jobs.cancel',
    // An import waiting behind other work: cancelling it removes its material.
    prepare: async () => {
      await core.value('settings.update', { jobConcurrency: 1 });
      ids.gatedJob = core.enqueueJob('test.gated', {}).id;
      await waitFor(
        () => gate.running,
        (running) => running === 1,
      );
      ids.waiting = await core.value<ImportOutcome>('materials.pasteText', {
        title: 'Later',
        text: 'Wait for me.',
      });
    },
    act: (call) => call({ id: ids.waiting.jobId }),
    settle: async () => {
      await waitFor(
        () => core.dispatch('materials.get', { id: ids.waiting.materialId }),
        (result) => !result.ok,
      );
      gate.open = true;
      await settled(ids.gatedJob);
    },
    tables: ['materials'],
  },
  {
    procedure: 'jobs.retry',
    // Its file went with its material: the retried import fails, changing nothing.
    act: (call) => call({ id: ids.waiting.jobId }),
    settle: async () => void (await settled(ids.waiting.jobId!)),
    tables: [],
  },
  {
    procedure: 'materials.delete',
    act: (call) => call({ ids: [ids.imported.materialId] }),
    tables: ['material_pages', 'materials'],
  },
  {
    procedure: 'conversations.create',
    act: async (call) => (ids.conversation = (await call({ classId: ids.biology })) as Conversation),
    tables: ['conversations'],
  },
  {
    procedure: 'conversations.rename',
    act: (call) => call({ id: ids.conversation.id, title: 'Cells' }),
    tables: ['conversations'],
  },
  {
    procedure: 'models.installFromFile',
    act: (call) => call({ id: 'test-chat', path: models.chat }),
    tables: [],
  },
  {
    procedure: 'tutor.ask',
    act: async (call) => {
      const { answer } = (await call({
        conversationId: ids.conversation.id,
        text: 'What is the powerhouse?',
      })) as {
        answer: TutorMessage;
      };
      ids.answer = answer;
      return answer;
    },
    settle: async () => void (await answerDone(ids.conversation.id, ids.answer.id)),
    tables: ['conversations', 'messages'],
  },
  {
    procedure: 'tutor.regenerate',
    act: async (call) => (ids.answer = (await call({ messageId: ids.answer.id })) as TutorMessage),
    settle: async () => void (await answerDone(ids.conversation.id, ids.answer.id)),
    tables: ['conversations', 'messages'],
  },
  {
    procedure: 'tutor.stop',
    prepare: async () => {
      ({ answer: ids.answer } = await core.value<{ answer: TutorMessage }>('tutor.ask', {
        conversationId: ids.conversation.id,
        text: 'And the membrane?',
      }));
    },
    act: (call) => call({ messageId: ids.answer.id }),
    // A random-weight model may end its answer before it is stopped (the answer's own writes then fall in).
    settle: async () => void (await answerDone(ids.conversation.id, ids.answer.id)),
    tables: (answer) => ((answer as TutorMessage).status === 'stopped' ? ['messages'] : null),
  },
  {
    procedure: 'cloud.configure',
    act: (call) =>
      call({
        provider: 'azure',
        endpoint: 'http://127.0.0.1:9',
        deployment: 'tests',
        apiKey: 'not-a-real-key',
      }),
    tables: [],
  },
  { procedure: 'cloud.remove', act: (call) => call({ provider: 'azure' }), tables: [] },
  {
    procedure: 'readAloud.speak',
    act: async (call) =>
      (ids.reading = ((await call({ text: 'Cells divide.' })) as { readingId: string }).readingId),
    tables: [],
  },
  { procedure: 'readAloud.played', act: (call) => call({ readingId: ids.reading, index: 0 }), tables: [] },
  { procedure: 'readAloud.stop', act: (call) => call({ readingId: ids.reading }), tables: [] },
  {
    procedure: 'readAloud.configureAzure',
    act: (call) => call({ region: 'westeurope', key: 'not-a-real-key' }),
    tables: [],
  },
  { procedure: 'readAloud.removeAzure', act: (call) => call({}), tables: [] },
  {
    procedure: 'lectures.start',
    act: async (call) =>
      (ids.lecture = (await call({ classId: ids.biology, mimeType: 'audio/webm;codecs=opus' })) as Lecture),
    tables: ['lectures'],
  },
  {
    procedure: 'lectures.appendChunk',
    act: async (call) => {
      let answer: unknown;
      for (const [seq, chunk] of recording.chunks.entries())
        answer = await call({ id: ids.lecture.id, seq, data: chunk.toString('base64') });
      return answer;
    },
    tables: ['lectures'],
  },
  {
    procedure: 'lectures.addBookmark',
    act: async (call) =>
      (ids.bookmark = (await call({ id: ids.lecture.id, atMs: 2000, note: 'ask not' })) as LectureBookmark),
    tables: ['lecture_bookmarks'],
  },
  {
    procedure: 'lectures.removeBookmark',
    act: (call) => call({ id: ids.bookmark.id }),
    tables: ['lecture_bookmarks'],
  },
  // No speech model yet: stopping only closes the recording.
  { procedure: 'lectures.stop', act: (call) => call({ id: ids.lecture.id }), tables: ['lectures'] },
  {
    procedure: 'lectures.rename',
    act: (call) => call({ id: ids.lecture.id, title: 'Inaugural address' }),
    tables: ['lectures'],
  },
  {
    procedure: 'lectures.dismissRecovery',
    act: (call) => call({ id: ids.lecture.id }),
    tables: ['lectures'],
  },
  {
    procedure: 'lectures.importAudio',
    prepare: async () =>
      void (await core.value('models.installFromFile', { id: 'whisper-test', path: models.whisper })),
    act: async (call) => {
      const { lecture, jobId } = (await call({
        classId: ids.biology,
        source: { kind: 'path', path: JFK_WAV },
      })) as {
        lecture: Lecture;
        jobId: string;
      };
      ids.audioLecture = lecture;
      return jobId;
    },
    settle: async (jobId) => void (await settled(jobId as string)),
    tables: ['lecture_transcripts', 'lectures', 'transcript_segments'],
  },
  {
    procedure: 'transcripts.editSegment',
    prepare: async () => {
      [ids.segment] = (await transcriptOf(ids.audioLecture.id)).segments as [TranscriptSegment];
    },
    act: (call) => call({ id: ids.segment.id, text: 'And so, my fellow Americans' }),
    tables: ['transcript_segments'],
  },
  {
    procedure: 'transcripts.transcribe',
    act: (call) => call({ lectureId: ids.audioLecture.id }),
    settle: async (answer) => void (await settled((answer as { jobId: string }).jobId)),
    tables: ['lecture_transcripts', 'transcript_segments'],
  },
  {
    procedure: 'transcripts.liveAudio',
    prepare: async () => {
      ids.liveLecture = await core.value<Lecture>('lectures.start', {
        classId: ids.biology,
        mimeType: 'audio/webm;codecs=opus',
      });
      await core.value('lectures.appendChunk', {
        id: ids.liveLecture.id,
        seq: 0,
        data: recording.chunks[0]!.toString('base64'),
      });
    },
    act: async (call) => {
      const samples = readWav(JFK_WAV);
      for (let at = 0; at < samples.length; at += 8000)
        await call({
          lectureId: ids.liveLecture.id,
          startMs: at / 16,
          pcm: pcm16(samples.subarray(at, at + 8000)),
        });
      return null;
    },
    // jfk.wav pauses between phrases: captions are written while it is being recorded.
    settle: async () =>
      void (await waitFor(
        () => transcriptOf(ids.liveLecture.id),
        ({ segments }) => segments.length > 0,
        60_000,
      )),
    tables: ['lecture_transcripts', 'transcript_segments'],
  },
  {
    procedure: 'lectures.delete',
    // A lecture with its captions, status and a bookmark: everything of it goes, recorded.
    prepare: async () => {
      await core.value('lectures.addBookmark', { id: ids.liveLecture.id, atMs: 1000, note: '' });
      await core.value('lectures.stop', { id: ids.liveLecture.id });
      await waitFor(
        () => transcriptOf(ids.liveLecture.id),
        ({ status }) => status.state !== 'live',
        60_000,
      );
    },
    act: (call) => call({ id: ids.liveLecture.id }),
    tables: ['lecture_bookmarks', 'lecture_transcripts', 'lectures', 'transcript_segments'],
  },
  {
    procedure: 'conversations.delete',
    act: (call) => call({ id: ids.conversation.id }),
    tables: ['conversations', 'messages'],
  },
  {
    procedure: 'study.notes.create',
    act: async (call) => {
      const created = (await call({
        classId: ids.biology,
        content: { kind: 'basic', front: 'What does DNA stand for?', back: 'Deoxyribonucleic acid' },
      })) as { note: Note };
      ids.note = created.note;
      return created;
    },
    tables: ['study_cards', 'study_decks', 'study_notes'],
  },
  {
    procedure: 'study.notes.update',
    act: (call) =>
      call({
        id: ids.note.id,
        content: { kind: 'basic', front: 'What does DNA stand for?', back: 'Deoxyribonucleic **acid**' },
        tags: ['genetics'],
      }),
    tables: ['study_notes'],
  },
  {
    procedure: 'study.answer',
    act: async (call) => {
      const { card } = await core.value<{ card: StudyCard }>('study.next', {});
      return call({ cardId: card.id, rating: 3, durationMs: 3000 });
    },
    tables: ['study_cards', 'study_review_log'],
  },
  {
    procedure: 'study.decks.update',
    act: (call) => call({ id: ids.note.deckId, patch: { examTargetRecall: 0.95 } }),
    tables: ['study_decks'],
  },
  { procedure: 'study.undo', act: (call) => call({}), tables: ['study_cards', 'study_review_log'] },
  {
    procedure: 'study.cards.suspend',
    act: (call) => call({ target: { noteIds: [ids.note.id] }, suspended: true }),
    tables: ['study_cards'],
  },
  {
    procedure: 'study.cards.bury',
    act: (call) => call({ target: { noteIds: [ids.note.id] } }),
    tables: ['study_cards'],
  },
  {
    procedure: 'study.cards.reset',
    prepare: async () => {
      await core.value('study.cards.suspend', { target: { noteIds: [ids.note.id] }, suspended: false });
    },
    // The card is new again after the undo: only its reset row is written.
    act: (call) => call({ target: { noteIds: [ids.note.id] } }),
    tables: ['study_review_log'],
  },
  {
    // Refused (the deck has a handful of reviews, not 400): nothing is queued or changed.
    procedure: 'study.optimise',
    act: async () => {
      const refused = await core.dispatch('study.optimise', { deckId: ids.note.deckId });
      expect(refused.ok).toBe(false);
      return refused;
    },
    tables: [],
  },
  {
    procedure: 'study.import',
    prepare: () => writeTestPackage(join(dir.path, 'biology.apkg'), biologyCollection(), 'anki2'),
    act: (call) =>
      call({ classId: ids.biology, source: { kind: 'path', path: join(dir.path, 'biology.apkg') } }),
    tables: ['study_cards', 'study_decks', 'study_media', 'study_notes', 'study_review_log'],
  },
  {
    procedure: 'study.notes.move',
    act: async (call) => {
      const decks = await core.value<{ id: string }[]>('study.decks', {});
      const other = decks.find((deck) => deck.id !== ids.note.deckId)!;
      return call({ ids: [ids.note.id], deckId: other.id });
    },
    tables: ['study_cards'],
  },
  {
    procedure: 'study.notes.deleteMany',
    prepare: async () => {
      ids.extraNote = (
        await core.value<{ note: Note }>('study.notes.create', {
          classId: ids.biology,
          content: { kind: 'basic', front: 'What is RNA?', back: 'Ribonucleic acid' },
        })
      ).note;
    },
    act: (call) => call({ ids: [ids.extraNote.id] }),
    tables: ['study_cards', 'study_notes'],
  },
  {
    procedure: 'study.export',
    act: (call) => call({ deckId: ids.note.deckId, path: join(dir.path, 'dna.apkg') }),
    tables: [],
  },
  {
    procedure: 'study.notes.delete',
    // With its card's log: the reset row written above.
    act: (call) => call({ id: ids.note.id }),
    tables: ['study_cards', 'study_notes', 'study_review_log'],
  },
  {
    procedure: 'notes.create',
    act: async (call) => {
      ids.writtenNote = (await call({
        classId: ids.biology,
        title: 'Respiration',
        markdown: '## Krebs cycle\n\n- makes **NADH**',
      })) as WrittenNote;
      return ids.writtenNote;
    },
    tables: ['notes'],
  },
  {
    procedure: 'notes.update',
    act: (call) =>
      call({ id: ids.writtenNote.id, patch: { markdown: '## Krebs cycle\n\n- makes **NADH** and FADH2' } }),
    tables: ['notes'],
  },
  {
    procedure: 'notes.delete',
    prepare: async () => {
      ids.scratchNote = (await core.value<WrittenNote>('notes.create', { markdown: 'Scratch' })).id;
    },
    act: (call) => call({ id: ids.scratchNote }),
    tables: ['notes'],
  },
  {
    procedure: 'generate.start',
    act: (call) =>
      call({ kind: 'flashcards', from: { kind: 'material', id: ids.pasted.materialId }, count: 2 }),
    settle: async (answer) => {
      ids.cards = await setFrom(await settled((answer as { jobId: string }).jobId));
    },
    tables: ['generated_items', 'generated_sets'],
  },
  {
    procedure: 'generate.acceptCards',
    act: (call) => call({ setId: ids.cards.set.id, cards: [{ id: ids.cards.items[0]!.id }] }),
    tables: ['generated_items', 'study_cards', 'study_notes'],
  },
  {
    procedure: 'generate.dismissCards',
    prepare: async () => {
      ids.cards = await generatedFrom('flashcards', 1);
    },
    act: (call) => call({ ids: [ids.cards.items[0]!.id] }),
    tables: ['generated_items'],
  },
  {
    procedure: 'generate.deleteSet',
    act: (call) => call({ id: ids.cards.set.id }),
    tables: ['generated_items', 'generated_sets'],
  },
  {
    procedure: 'generate.regenerate',
    prepare: async () => {
      ids.quiz = await generatedFrom('quiz', 2);
    },
    act: (call) => call({ id: ids.quiz.items[0]!.id }),
    tables: ['generated_items'],
  },
  {
    // Its source is as it was: kept without a write.
    procedure: 'generate.keep',
    act: (call) => call({ id: ids.quiz.items[0]!.id }),
    tables: [],
  },
  {
    procedure: 'quizzes.grade',
    act: async (call) =>
      (ids.attempt = (await call({
        setId: ids.quiz.set.id,
        answers: ids.quiz.items.map((item) => ({ itemId: item.id, response: null })),
      })) as QuizAttempt),
    tables: ['quiz_attempts'],
  },
  {
    procedure: 'quizzes.overrule',
    act: (call) => call({ attemptId: ids.attempt.id, itemId: ids.quiz.items[0]!.id, correct: true }),
    tables: ['quiz_attempts'],
  },
  {
    procedure: 'quizzes.toFlashcard',
    act: (call) => call({ itemId: ids.quiz.items[0]!.id }),
    tables: ['study_cards', 'study_notes'],
  },
  {
    procedure: 'classes.delete',
    // Its materials, lectures, conversations, quizzes and scores stay, in no class.
    prepare: async () => {
      ids.conversation = await core.value<Conversation>('conversations.create', { classId: ids.biology });
    },
    act: (call) => call({ id: ids.biology }),
    tables: [
      'class_exams',
      'classes',
      'conversations',
      'generated_sets',
      'lectures',
      'materials',
      'notes',
      'quiz_attempts',
      'study_decks',
    ],
  },
  {
    procedure: 'backups.create',
    act: (call) => call({}),
    settle: async (answer) => {
      const job = await settled((answer as { jobId: string }).jobId);
      ids.backup = (job.result as BackupResult).path;
    },
    tables: [],
  },
  {
    // Back to the data as it was at that backup, which is as it is: a restore records nothing itself.
    procedure: 'backups.restore',
    act: (call) => call({ path: ids.backup }),
    settle: async () => {
      await waitFor(
        async () => core.events.some((event) => event.name === 'backups.restored'),
        (restored) => restored,
        120_000,
      );
      // The engine reopened on the restored database: read the new file.
      file.close();
      file = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
    },
    tables: [],
  },
  { procedure: 'backups.delete', act: (call) => call({ path: ids.backup }), tables: [] },
  {
    procedure: 'models.download',
    act: (call) => call({ id: 'voice-test' }),
    settle: async (answer) => void (await settled((answer as { jobId: string }).jobId)),
    tables: [],
  },
  { procedure: 'models.delete', act: (call) => call({ id: 'voice-test' }), tables: [] },
];

describe('the change feed', () => {
  it('has a scenario for every procedure that is not a read', () => {
    const mutating = Object.keys(procedures).filter(
      (name) => !READS.includes(name as ProcedureName) && !NEED_THE_SERVER.includes(name as ProcedureName),
    );
    expect(scenarios.map((scenario) => scenario.procedure).sort()).toEqual(mutating.sort());
  });

  it(
    'records exactly the rows each procedure changes, with the columns it changed',
    { timeout: 900_000 },
    async () => {
      for (const scenario of scenarios) {
        await scenario.prepare?.();
        const before = snapshot();
        const call = async (input: unknown) => {
          const result: Result<unknown> = await core.dispatch(scenario.procedure, input);
          if (!result.ok)
            throw new Error(`${scenario.procedure}: ${result.error.code} ${result.error.message}`);
          return result.value;
        };
        const answer = await scenario.act(call);
        await scenario.settle?.(answer);
        const tables = expectFeedToMatch(before, scenario.procedure);
        const expected = typeof scenario.tables === 'function' ? scenario.tables(answer) : scenario.tables;
        if (expected) expect(tables, scenario.procedure).toEqual(expected);
      }
    },
  );

  it('records nothing for a procedure that only reads', async () => {
    const lecture = ids.audioLecture.id;
    const decks = await core.value<{ id: string; cards: number }[]>('study.decks', {});
    const deckId = decks.find((deck) => deck.cards > 0)!.id;
    const [note] = await core.value<Note[]>('study.notes.list', { deckId });
    const inputs: Record<string, unknown> = {
      'study.notes.get': { id: note!.id },
      'study.optimiser': { deckId },
      'study.stats': { deckId },
      'classes.get': { id: ids.history },
      'jobs.get': { id: ids.gatedJob },
      'materials.get': { id: ids.pasted.materialId },
      'materials.page': { id: ids.pasted.materialId, page: 1 },
      'materials.find': { id: ids.pasted.materialId, text: 'powerhouse' },
      'search.query': { query: 'powerhouse' },
      'conversations.get': { id: ids.conversation.id },
      'lectures.get': { id: lecture },
      'transcripts.get': { lectureId: lecture },
      'transcripts.export': { lectureId: lecture, format: 'srt' },
      'study.notes.list': { deckId: ids.note.deckId },
      'study.examForecast': { deckId: ids.note.deckId },
      'notes.get': { id: ids.writtenNote.id },
      'notes.export': { id: ids.writtenNote.id, format: 'docx' },
      'generate.set': { id: ids.quiz.set.id },
    };
    for (const procedure of READS) {
      const before = snapshot();
      const result = await core.dispatch(procedure, inputs[procedure] ?? {});
      expect(result.ok, `${procedure}: ${JSON.stringify(result)}`).toBe(true);
      expect(expectFeedToMatch(before, procedure), procedure).toEqual([]);
      expect(snapshot(before.seq).changes, procedure).toEqual([]);
    }
  });
});
