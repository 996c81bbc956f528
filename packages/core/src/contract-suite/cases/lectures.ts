import { expect } from 'vitest';
import { tools, type ContractCase } from './contract-case.js';

const WEBM = 'audio/webm;codecs=opus';
const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
/** A recording's first part starts with WebM's EBML magic number. */
const FIRST_PART = base64([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]);

export const lectureCases: ContractCase[] = [
  {
    name: 'records parts in order, once each, and names the part it expects after a gap',
    async run(client) {
      const { value, failure, event } = tools(client);
      const lecture = await value('lectures.start', { classId: null, mimeType: WEBM });
      expect(lecture).toMatchObject({ title: 'Lecture 1', status: 'recording', lastSeq: -1, bytes: 0 });
      await event('lectures.changed', ({ payload }) => payload.ids.includes(lecture.id));

      const notWebm = await failure('lectures.appendChunk', {
        id: lecture.id,
        seq: 0,
        data: base64([1, 2, 3]),
      });
      expect(notWebm.code).toBe('INVALID_INPUT');
      const first = { id: lecture.id, seq: 0, data: FIRST_PART };
      expect(await value('lectures.appendChunk', first)).toEqual({ bytes: 8, lastSeq: 0 });
      // Sent again (the answer was lost): acknowledged, stored once.
      expect(await value('lectures.appendChunk', first)).toEqual({ bytes: 8, lastSeq: 0 });
      const gap = await failure('lectures.appendChunk', { id: lecture.id, seq: 2, data: base64([7]) });
      expect(gap.code).toBe('CONFLICT');
      expect(gap.details).toEqual({ expectedSeq: 1 });
      expect(
        await value('lectures.appendChunk', { id: lecture.id, seq: 1, data: base64([5, 6, 7]) }),
      ).toEqual({
        bytes: 11,
        lastSeq: 1,
      });
      expect((await value('lectures.get', { id: lecture.id })).lecture).toMatchObject({
        status: 'recording',
        bytes: 11,
        lastSeq: 1,
      });
    },
  },
  {
    name: 'discards a recording stopped before any sound arrived, and says so',
    async run(client) {
      const { value, failure } = tools(client);
      const lecture = await value('lectures.start', { classId: null, title: 'Silence', mimeType: WEBM });
      const error = await failure('lectures.stop', { id: lecture.id });
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/Nothing was recorded/);
      expect(await value('lectures.list', {})).toEqual([]);
      expect((await failure('lectures.get', { id: lecture.id })).code).toBe('NOT_FOUND');
    },
  },
  {
    name: 'renames a lecture, keeps bookmarks in time order, and deletes it with them',
    async run(client) {
      const { value, failure } = tools(client);
      const biology = await value('classes.create', { name: 'Biology' });
      const lecture = await value('lectures.start', { classId: biology.id, title: 'Cells', mimeType: WEBM });
      expect((await value('lectures.rename', { id: lecture.id, title: 'Cell membranes' })).title).toBe(
        'Cell membranes',
      );
      const late = await value('lectures.addBookmark', { id: lecture.id, atMs: 9_000, note: 'Exam topic' });
      const early = await value('lectures.addBookmark', { id: lecture.id, atMs: 2_000, note: '' });
      const { bookmarks } = await value('lectures.get', { id: lecture.id });
      expect(bookmarks.map((b) => [b.id, b.atMs, b.note])).toEqual([
        [early.id, 2_000, ''],
        [late.id, 9_000, 'Exam topic'],
      ]);
      expect(await value('lectures.removeBookmark', { id: early.id })).toEqual({ id: early.id });
      expect((await failure('lectures.removeBookmark', { id: early.id })).code).toBe('NOT_FOUND');
      expect((await value('lectures.list', { classId: biology.id })).map((l) => l.title)).toEqual([
        'Cell membranes',
      ]);
      expect(await value('lectures.list', { classId: null })).toEqual([]);

      expect(await value('lectures.delete', { id: lecture.id })).toEqual({ id: lecture.id });
      expect((await failure('lectures.get', { id: lecture.id })).code).toBe('NOT_FOUND');
      expect((await failure('lectures.delete', { id: lecture.id })).code).toBe('NOT_FOUND');
    },
  },
  {
    name: 'a new lecture has no transcript yet, and cannot be transcribed while it is recorded',
    async run(client) {
      const { value, failure } = tools(client);
      const lecture = await value('lectures.start', { classId: null, mimeType: WEBM });
      expect(await value('transcripts.get', { lectureId: lecture.id })).toEqual({
        status: { state: 'none', modelId: null, jobId: null, error: null },
        segments: [],
      });
      expect(await value('transcripts.statuses', {})).toEqual({});
      expect((await failure('transcripts.transcribe', { lectureId: lecture.id })).code).toBe('CONFLICT');
      expect((await failure('transcripts.editSegment', { id: 987_654, text: 'x' })).code).toBe('NOT_FOUND');
      expect((await failure('transcripts.get', { lectureId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    },
  },
];
