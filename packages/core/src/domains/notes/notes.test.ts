/**
 * Notes through the engine's dispatcher on a real database: stored, listed per class, found by
 * search, cited by the tutor (real llama.cpp on the generated model), sanitised, exported, kept
 * when their class or lecture goes, and the refusals (a deleted class, a huge note) leaving
 * nothing behind.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChatModel } from '../../../../../scripts/fixtures/make-llama-model.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import {
  NOTE_MAX_CHARS,
  noteStamp,
  type Conversation,
  type Lecture,
  type SearchHit,
  type StudyClass,
  type TutorMessage,
  type WrittenNote,
  type WrittenNoteSummary,
} from '../../contract/index.js';
import { DATABASE_FILE } from '../../db/open-database.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let db: Database.Database;
let biology: StudyClass;
let modelPath: string;

beforeAll(async () => {
  dir = tempDir('lm-notes-');
  modelPath = makeTestChatModel(dir.path).path;
  const catalog = writeModelCatalog(dir.path, [
    { id: 'test-chat', kind: 'llm', file: modelPath, name: 'Test Chat', fileName: 'test-chat.gguf' },
  ]);
  core = await openTestCore(
    join(dir.path, 'data'),
    { llmThreads: 1, llmTemperature: 0 },
    { modelCatalogFile: catalog },
  );
  db = new Database(join(dir.path, 'data', DATABASE_FILE), { readonly: true });
  biology = await core.value<StudyClass>('classes.create', { name: 'Biology' });
}, 60_000);

afterAll(async () => {
  db?.close();
  await core?.close();
  dir?.remove();
});

const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

async function failure(method: string, input: unknown) {
  const result = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} succeeded`);
  return result.error;
}

const search = (query: string, extra: object = {}) =>
  core.value<{ hits: SearchHit[] }>('search.query', { query, mode: 'keyword', ...extra });

describe('writing notes', () => {
  let note: WrittenNote;

  it('stores a note in its class, lists it with an excerpt and gives it back as written', async () => {
    const markdown = '## Krebs cycle\n\n- makes **NADH**\n- in the matrix\n\n```\nacetyl-CoA\n```\n';
    note = await core.value<WrittenNote>('notes.create', {
      classId: biology.id,
      title: 'Respiration',
      markdown,
    });
    expect(note).toMatchObject({ classId: biology.id, lectureId: null, title: 'Respiration', markdown });
    expect(await core.value('notes.get', { id: note.id })).toEqual(note);
    const listed = await core.value<WrittenNoteSummary[]>('notes.list', { classId: biology.id });
    expect(listed).toEqual([
      expect.objectContaining({
        id: note.id,
        title: 'Respiration',
        excerpt: 'Krebs cycle makes NADH in the matrix acetyl-CoA',
      }),
    ]);
    expect(await core.value('notes.list', { classId: null })).toEqual([]);
    expect(core.events).toContainEqual({ name: 'notes.changed', payload: { ids: [note.id] } });
  });

  it('is found by search in its class, by its words and its title, and no longer after an edit removes them', async () => {
    const { hits } = await search('NADH matrix', { classId: biology.id });
    expect(hits[0]).toMatchObject({ ref: { kind: 'note', id: note.id }, title: 'Respiration' });
    expect((await search('respiration')).hits.map((hit) => hit.ref.id)).toContain(note.id);

    const edited = await core.value<WrittenNote>('notes.update', {
      id: note.id,
      patch: { markdown: 'Glycolysis splits glucose into pyruvate.' },
    });
    expect(edited.markdown).toBe('Glycolysis splits glucose into pyruvate.');
    expect(edited.updatedAt >= note.updatedAt).toBe(true);
    expect((await search('NADH')).hits).toEqual([]);
    expect((await search('pyruvate')).hits[0]).toMatchObject({ ref: { kind: 'note', id: note.id } });
  });

  it('names a note with no title, and deletes a note with its search passages', async () => {
    const untitled = await core.value<WrittenNote>('notes.create', { markdown: 'Osmosis moves water.' });
    expect(untitled).toMatchObject({ title: 'Untitled note', classId: null });
    expect((await search('osmosis')).hits).toHaveLength(1);
    await core.value('notes.delete', { id: untitled.id });
    expect(await failure('notes.get', { id: untitled.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await search('osmosis')).hits).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM search_sources WHERE ref_id = ?').pluck().get(untitled.id)).toBe(
      0,
    );
  });
});

describe('unsafe Markdown', () => {
  it('keeps no raw HTML and no javascript: link, on the way in and in every export', async () => {
    const note = await core.value<WrittenNote>('notes.create', {
      title: 'Pasted',
      markdown:
        'Safe [docs](https://example.org) and [click](javascript:alert(1)) here.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\nEnd with a <b>tag</b>.',
    });
    expect(note.markdown).not.toMatch(/<script|<img|<b>|javascript:|onerror/i);
    expect(note.markdown).toContain('[docs](https://example.org)');
    expect(note.markdown).toContain('click');
    expect(note.markdown).toContain('End with a tag');
    const markdown = await core.value<{ content: string }>('notes.export', {
      id: note.id,
      format: 'markdown',
    });
    expect(markdown.content).not.toMatch(/<script|javascript:/i);
    const docx = await core.value<{ content: string }>('notes.export', { id: note.id, format: 'docx' });
    const xml = await docxDocumentXml(Buffer.from(docx.content, 'base64'));
    expect(xml).not.toMatch(/javascript:|alert\(1\)/);
    expect(xml).toContain('Safe');
  });
});

describe('notes beside a lecture', () => {
  let lecture: Lecture;
  let note: WrittenNote;

  beforeAll(async () => {
    lecture = await core.value<Lecture>('lectures.start', {
      classId: biology.id,
      title: 'Cells, week 3',
      mimeType: 'audio/webm; codecs=opus',
    });
  });

  it('keeps each paragraph with the lecture second it was typed at, and lists the lecture’s notes', async () => {
    const markdown = `${noteStamp(75)} Mitochondria have two membranes.\n\n${noteStamp(754)} Cristae fold the inner one.`;
    note = await core.value<WrittenNote>('notes.create', {
      classId: biology.id,
      lectureId: lecture.id,
      title: 'Week 3',
      markdown,
    });
    expect(note.markdown).toBe(
      '[1:15](#t=75) Mitochondria have two membranes.\n\n[12:34](#t=754) Cristae fold the inner one.',
    );
    expect(await core.value('notes.list', { lectureId: lecture.id })).toEqual([
      expect.objectContaining({ id: note.id }),
    ]);
    // Search reads the stamp as its clock, never as the link's address.
    expect((await search('cristae')).hits[0]!.snippet).toMatch(/\[12:34\] \W?Cristae/);
    expect((await search('t 754')).hits).toEqual([]);
    const exported = await core.value<{ fileName: string; content: string }>('notes.export', {
      id: note.id,
      format: 'markdown',
    });
    expect(exported).toMatchObject({
      fileName: 'Week 3.md',
      content: '# Week 3\n\n[1:15] Mitochondria have two membranes.\n\n[12:34] Cristae fold the inner one.\n',
    });
  });

  it('keeps the note when its lecture is deleted, then when its class is deleted', async () => {
    await core.value('lectures.delete', { id: lecture.id });
    expect(await core.value('notes.get', { id: note.id })).toMatchObject({
      lectureId: null,
      classId: biology.id,
    });
    const doomed = await core.value<StudyClass>('classes.create', { name: 'Doomed' });
    await core.value('notes.update', { id: note.id, patch: { classId: doomed.id } });
    await core.value('classes.delete', { id: doomed.id });
    expect(await core.value('notes.get', { id: note.id })).toMatchObject({ classId: null, title: 'Week 3' });
    expect((await search('cristae')).hits[0]).toMatchObject({ ref: { id: note.id }, classId: null });
  });
});

describe('refusals', () => {
  it('refuses a note for a deleted class or lecture, storing nothing', async () => {
    const gone = await core.value<StudyClass>('classes.create', { name: 'Gone' });
    await core.value('classes.delete', { id: gone.id });
    const before = count('notes');
    const changes = count('changes');
    expect(await failure('notes.create', { classId: gone.id, markdown: 'Lost?' })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/class no longer exists/),
    });
    expect(
      await failure('notes.create', { lectureId: '00000000-0000-4000-8000-000000000000', markdown: 'Lost?' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(count('notes')).toBe(before);
    expect(count('changes')).toBe(changes);
    expect((await search('lost')).hits).toEqual([]);
  });

  it('refuses a note over the limit with the limit in words, and keeps the note as it was', async () => {
    const note = await core.value<WrittenNote>('notes.create', { title: 'Big', markdown: 'Short.' });
    const huge = 'word '.repeat(NOTE_MAX_CHARS / 5 + 1);
    const error = await failure('notes.update', { id: note.id, patch: { markdown: huge } });
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).toMatch(/at most 200,000 characters/);
    expect((await core.value<WrittenNote>('notes.get', { id: note.id })).markdown).toBe('Short.');
    expect(await failure('notes.create', { markdown: huge })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await failure('notes.update', { id: note.id, patch: {} })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('the tutor', () => {
  it('answers from a note and cites it', async () => {
    const note = await core.value<WrittenNote>('notes.create', {
      classId: biology.id,
      title: 'Photosynthesis',
      markdown: 'Chloroplasts capture light energy and make glucose by photosynthesis.',
    });
    await core.value('models.installFromFile', { id: 'test-chat', path: modelPath });
    const conversation = await core.value<Conversation>('conversations.create', { classId: biology.id });
    const { answer } = await core.value<{ answer: TutorMessage }>('tutor.ask', {
      conversationId: conversation.id,
      text: 'How do chloroplasts make glucose by photosynthesis?',
    });
    const final = await waitFor(
      () => core.value<{ messages: TutorMessage[] }>('conversations.get', { id: conversation.id }),
      ({ messages }) =>
        ['complete', 'stopped', 'failed'].includes(messages.find((m) => m.id === answer.id)!.status),
      60_000,
    ).then(({ messages }) => messages.find((m) => m.id === answer.id)!);
    expect(final).toMatchObject({ status: 'complete', grounding: 'material' });
    expect(final.sources[0]).toMatchObject({
      n: 1,
      ref: { kind: 'note', id: note.id },
      title: 'Photosynthesis',
    });
    expect(final.sources[0]!.excerpt).toMatch(/Chloroplasts capture light/);
  }, 120_000);
});

/** word/document.xml of a DOCX, read with the zip reader the app already has. */
function docxDocumentXml(file: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'word/document.xml') return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const parts: Buffer[] = [];
          stream.on('data', (part: Buffer) => parts.push(part));
          stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error('no word/document.xml')));
      zip.readEntry();
    });
  });
}
