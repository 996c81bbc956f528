import { fork } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../contract/index.js';
import { lectureProcedures, MAX_CHUNK_BYTES } from '../../contract/lectures.js';
import type { OpenedDatabase } from '../../db/open-database.js';
import { classes } from '../../db/schema/classes.js';
import { lectureBookmarks } from '../../db/schema/lectures.js';
import { openTestCore, tempDir } from '../../test-support/temp-core.js';
import { RECORDINGS_FOLDER, type LecturesService } from './lectures-service.js';
import { lectureMigrationsDir, removeGeneratedMigrations } from './test-support/lecture-migrations.js';
import { openLectures } from './test-support/open-lectures.js';
import {
  decodedDurationMs,
  headerDurationMs,
  recordLikeMediaRecorder,
  SPEECH_WAV,
  type LiveRecording,
} from './test-support/webm-fixture.js';

const WEBM = 'audio/webm;codecs=opus';

interface Engine {
  service: LecturesService;
  storage: OpenedDatabase;
  events: { name: string; payload: unknown }[];
  close(): Promise<void>;
}

const dirs: { remove(): void }[] = [];
const engines: Engine[] = [];

function newDataDir(): string {
  const dir = tempDir('lm-lectures-');
  dirs.push(dir);
  return join(dir.path, 'data');
}

/** An engine's lectures domain over a real database, as core.ts composes it. */
async function startEngine(dataDir: string, { recover = true } = {}): Promise<Engine> {
  const { service, storage, bus } = openLectures(dataDir, lectureMigrationsDir());
  const events: Engine['events'] = [];
  bus.subscribe((event) => events.push(event));
  if (recover) await service.recoverInterrupted();
  let closed = false;
  const engine: Engine = {
    service,
    storage,
    events,
    async close() {
      if (closed) return;
      closed = true;
      await service.close();
      storage.close();
    },
  };
  engines.push(engine);
  return engine;
}

const fileOf = (dataDir: string, id: string) => join(dataDir, RECORDINGS_FOLDER, `${id}.webm`);
const concat = (chunks: Buffer[]) => Buffer.concat(chunks);

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const dir of dirs.splice(0)) dir.remove();
});
afterAll(removeGeneratedMigrations);

describe('recording a lecture', () => {
  let speech: LiveRecording;
  beforeAll(async () => {
    speech = await recordLikeMediaRecorder(SPEECH_WAV);
  });

  it('stores each chunk on the disk before acknowledging it; the file is the recorder’s stream', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const lecture = await service.start({ classId: null, mimeType: WEBM });
    expect(lecture).toMatchObject({ title: 'Lecture 1', status: 'recording', lastSeq: -1, bytes: 0 });

    for (const [seq, chunk] of speech.chunks.entries()) {
      const ack = await service.appendChunk(lecture.id, seq, chunk);
      const stored = concat(speech.chunks.slice(0, seq + 1));
      expect(ack).toEqual({ bytes: stored.length, lastSeq: seq });
      expect(readFileSync(fileOf(dataDir, lecture.id)).equals(stored)).toBe(true);
    }
    expect(service.get(lecture.id).lecture).toMatchObject({
      status: 'recording',
      lastSeq: speech.chunks.length - 1,
    });
  });

  it('stops with the duration of the audio and a file players can seek in, well under 60 MB an hour', async () => {
    const dataDir = newDataDir();
    const { service, events } = await startEngine(dataDir);
    const lecture = await service.start({ classId: null, title: 'Cell biology', mimeType: WEBM });
    for (const [seq, chunk] of speech.chunks.entries()) await service.appendChunk(lecture.id, seq, chunk);
    const liveFile = join(dataDir, 'live-copy.webm');
    writeFileSync(liveFile, concat(speech.chunks));
    expect(headerDurationMs(liveFile)).toBeNull();

    const stopped = await service.stop(lecture.id);

    const file = fileOf(dataDir, lecture.id);
    expect(stopped).toMatchObject({ status: 'recorded', title: 'Cell biology', recoveryNotice: false });
    expect(stopped.endedAt).not.toBeNull();
    expect(Math.abs(stopped.durationMs - decodedDurationMs(liveFile))).toBeLessThan(200);
    // The rewritten file says how long it is and holds the same audio.
    expect(Math.abs(headerDurationMs(file)! - stopped.durationMs)).toBeLessThan(100);
    expect(Math.abs(decodedDurationMs(file) - decodedDurationMs(liveFile))).toBeLessThan(100);
    expect(stopped.bytes).toBe(readFileSync(file).length);
    expect((stopped.bytes / stopped.durationMs) * 3_600_000).toBeLessThan(60 * 1024 * 1024);
    expect(events).toContainEqual({ name: 'lectures.changed', payload: { ids: [lecture.id] } });
    // Stopping again changes nothing.
    expect(await service.stop(lecture.id)).toEqual(stopped);
  });

  it('acknowledges a chunk sent twice without storing it twice', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    await service.appendChunk(id, 0, speech.chunks[0]!);
    await service.appendChunk(id, 1, speech.chunks[1]!);

    const expected = { bytes: speech.chunks[0]!.length + speech.chunks[1]!.length, lastSeq: 1 };
    expect(await service.appendChunk(id, 1, speech.chunks[1]!)).toEqual(expected);
    expect(await service.appendChunk(id, 0, speech.chunks[0]!)).toEqual(expected);
    expect(readFileSync(fileOf(dataDir, id)).equals(concat(speech.chunks.slice(0, 2)))).toBe(true);
  });

  it('refuses a chunk that skips one, naming the one to send, and stores nothing', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    await service.appendChunk(id, 0, speech.chunks[0]!);

    const error = await rejection(service.appendChunk(id, 2, speech.chunks[2]!));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('from part 1');
    expect(error.details).toEqual({ expectedSeq: 1 });
    expect(readFileSync(fileOf(dataDir, id)).equals(speech.chunks[0]!)).toBe(true);

    // The recorder sends from the missing one and goes on.
    await service.appendChunk(id, 1, speech.chunks[1]!);
    expect(await service.appendChunk(id, 2, speech.chunks[2]!)).toMatchObject({ lastSeq: 2 });
  });

  it('takes chunks sent without waiting for each answer in order', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    await Promise.all(speech.chunks.map((chunk, seq) => service.appendChunk(id, seq, chunk)));
    expect(readFileSync(fileOf(dataDir, id)).equals(concat(speech.chunks))).toBe(true);
  });

  it('refuses a first chunk that is not WebM, storing nothing', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    const error = await rejection(service.appendChunk(id, 0, Buffer.from('RIFF....WAVEfmt ')));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('WebM');
    expect(service.get(id).lecture).toMatchObject({ lastSeq: -1, bytes: 0 });
    expect(readFileSync(fileOf(dataDir, id))).toHaveLength(0);
  });

  it('refuses chunks for a stopped or deleted recording, but still acknowledges repeats', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    for (const seq of [0, 1, 2]) await service.appendChunk(id, seq, speech.chunks[seq]!);
    const stopped = await service.stop(id);

    expect(await service.appendChunk(id, 2, speech.chunks[2]!)).toEqual({ bytes: stopped.bytes, lastSeq: 2 });
    expect((await rejection(service.appendChunk(id, 3, speech.chunks[3]!))).code).toBe('CONFLICT');
    await service.delete(id);
    expect((await rejection(service.appendChunk(id, 3, speech.chunks[3]!))).code).toBe('NOT_FOUND');
  });

  it('discards a recording stopped before any audio arrived, and says so', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    const error = await rejection(service.stop(id));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('Nothing was recorded');
    expect((await rejection(() => service.get(id))).code).toBe('NOT_FOUND');
    expect(readdirSync(join(dataDir, RECORDINGS_FOLDER))).toEqual([]);
  });

  it('deletes a lecture with its audio and bookmarks, even while recording', async () => {
    const dataDir = newDataDir();
    const { service, storage } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    for (const seq of [0, 1]) await service.appendChunk(id, seq, speech.chunks[seq]!);
    service.addBookmark(id, 1500, 'definition of osmosis');

    expect(await service.delete(id)).toEqual({ id });
    expect(existsSync(fileOf(dataDir, id))).toBe(false);
    expect(storage.db.select().from(lectureBookmarks).all()).toEqual([]);
    expect((await rejection(() => service.get(id))).code).toBe('NOT_FOUND');
    expect((await rejection(service.delete(id))).code).toBe('NOT_FOUND');
  });

  it('keeps bookmarks in time order and refuses one after the end of a finished recording', async () => {
    const dataDir = newDataDir();
    const { service } = await startEngine(dataDir);
    const { id } = await service.start({ classId: null, mimeType: WEBM });
    for (const [seq, chunk] of speech.chunks.entries()) await service.appendChunk(id, seq, chunk);
    const late = service.addBookmark(id, 9000, '');
    const early = service.addBookmark(id, 2000, 'ask not');
    const stopped = await service.stop(id);

    expect(service.get(id).bookmarks.map((b) => [b.atMs, b.note])).toEqual([
      [2000, 'ask not'],
      [9000, ''],
    ]);
    const error = await rejection(() => service.addBookmark(id, stopped.durationMs + 5000, ''));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('after the end of the recording');
    expect(service.removeBookmark(late.id)).toEqual({ id: late.id });
    expect(service.get(id).bookmarks.map((b) => b.id)).toEqual([early.id]);
    expect((await rejection(() => service.removeBookmark(late.id))).code).toBe('NOT_FOUND');
  });

  it('names lectures by their number in the class, lists them newest first, renames them', async () => {
    const dataDir = newDataDir();
    const { service, storage } = await startEngine(dataDir);
    const now = new Date().toISOString();
    const classId = '5d6a3d57-1f0b-4b8e-9d43-0b1f3f3b1a01';
    storage.db
      .insert(classes)
      .values({
        id: classId,
        name: 'Biology',
        color: '#4f7cff',
        sortOrder: 0,
        createdAt: now,
        updatedAt: now,
      })
      .run();

    const first = await service.start({ classId, mimeType: WEBM });
    const second = await service.start({ classId, mimeType: WEBM });
    const unfiled = await service.start({ classId: null, mimeType: WEBM });
    expect([first.title, second.title, unfiled.title]).toEqual(['Lecture 1', 'Lecture 2', 'Lecture 1']);
    expect(service.list(classId).map((l) => l.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(service.list(null).map((l) => l.id)).toEqual([unfiled.id]);
    expect(service.list(undefined)).toHaveLength(3);

    await service.delete(first.id);
    expect((await service.start({ classId, mimeType: WEBM })).title).toBe('Lecture 3');
    expect(service.rename(second.id, 'Mitosis').title).toBe('Mitosis');
    const missing = await rejection(
      service.start({ classId: '5d6a3d57-1f0b-4b8e-9d43-0b1f3f3b1a02', mimeType: WEBM }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('answers through the dispatcher with what the contract describes', async () => {
    const core = await openTestCore(newDataDir());
    try {
      const started = await core.value<{ id: string; mimeType: string }>('lectures.start', {
        mimeType: 'audio/webm; codecs=opus',
      });
      expect(started.mimeType).toBe('audio/webm;codecs=opus');
      const data = speech.chunks[0]!.toString('base64');
      expect(await core.value('lectures.appendChunk', { id: started.id, seq: 0, data })).toEqual({
        bytes: speech.chunks[0]!.length,
        lastSeq: 0,
      });
      const detail = await core.value<{ lecture: { id: string } }>('lectures.get', { id: started.id });
      expect(detail.lecture.id).toBe(started.id);
    } finally {
      await core.close();
    }
  });
});

describe('the lectures contract', () => {
  const start = lectureProcedures['lectures.start'].input;
  const append = lectureProcedures['lectures.appendChunk'].input;
  const id = '5d6a3d57-1f0b-4b8e-9d43-0b1f3f3b1a01';

  it('records only WebM/Opus, saying so', () => {
    expect(start.safeParse({ mimeType: 'audio/webm' }).success).toBe(true);
    const refused = start.safeParse({ mimeType: 'audio/mp4' });
    expect(refused.error?.issues[0]?.message).toContain('audio/webm;codecs=opus');
  });

  it('takes chunks of at most 256 KB, in base64', () => {
    const largest = Buffer.alloc(MAX_CHUNK_BYTES, 7).toString('base64');
    expect(append.safeParse({ id, seq: 0, data: largest }).success).toBe(true);
    const tooLarge = Buffer.alloc(MAX_CHUNK_BYTES + 3, 7).toString('base64');
    expect(append.safeParse({ id, seq: 0, data: tooLarge }).error?.issues[0]?.message).toContain('256 KB');
    expect(append.safeParse({ id, seq: 0, data: 'not base64!' }).error?.issues[0]?.message).toContain(
      'base64',
    );
    expect(append.safeParse({ id, seq: -1, data: 'AAAA' }).success).toBe(false);
    // Base64 grows 4/3: the largest call stays well under the transports' 1 MiB message limit.
    expect(
      JSON.stringify({ method: 'lectures.appendChunk', input: { id, seq: 1e6, data: largest } }).length,
    ).toBeLessThan(1024 * 1024);
  });
});

describe('recovering a recording after an unexpected end', () => {
  let speech: LiveRecording;
  beforeAll(async () => {
    speech = await recordLikeMediaRecorder(SPEECH_WAV);
  });

  /** Runs an engine in a child process that records `speech` and is killed once chunk `killAfter` is acknowledged. */
  async function crashWhileRecording(dataDir: string, killAfter: number) {
    const chunksDir = join(dataDir, '..', 'chunks');
    mkdirSync(chunksDir, { recursive: true });
    speech.chunks.forEach((chunk, seq) =>
      writeFileSync(join(chunksDir, String(seq).padStart(4, '0')), chunk),
    );
    const child = fork(
      fileURLToPath(new URL('./test-support/recording-crash-fixture.ts', import.meta.url)),
      [dataDir, lectureMigrationsDir(), chunksDir],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    const acknowledged = await new Promise<{ lectureId: string; lastSeq: number }>((resolve, reject) => {
      child.on('message', (ack: { lectureId: string; lastSeq: number }) => {
        if (ack.lastSeq < killAfter) return void child.send('next');
        // The next chunk starts being stored as the kill lands.
        child.send('next');
        child.kill('SIGKILL');
        resolve(ack);
      });
      child.once('exit', (code) => reject(new Error(`the recording engine exited early with ${code}`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));
    return acknowledged;
  }

  it('keeps every acknowledged chunk of a recording whose engine was killed, and tells the student', async () => {
    const dataDir = newDataDir();
    const acknowledged = await crashWhileRecording(dataDir, 5);
    const acknowledgedAudioMs = speech.startsMs[acknowledged.lastSeq + 1]!;

    const { service, events } = await startEngine(dataDir);
    const { lecture } = service.get(acknowledged.lectureId);
    expect(lecture).toMatchObject({ status: 'recovered', title: 'Lecture 4', recoveryNotice: true });
    // The chunk being stored at the kill may or may not have been acknowledged; nothing else was.
    expect([5, 6]).toContain(lecture.lastSeq);
    const file = fileOf(dataDir, lecture.id);
    expect(readFileSync(file).equals(concat(speech.chunks.slice(0, lecture.lastSeq + 1)))).toBe(true);
    // Playable from the start by an independent decoder, at most 2 s short of what was acknowledged.
    const playable = decodedDurationMs(file);
    expect(playable).toBeGreaterThanOrEqual(acknowledgedAudioMs - 2000);
    expect(Math.abs(lecture.durationMs - playable)).toBeLessThan(200);
    expect(events).toContainEqual({
      name: 'lectures.recovered',
      payload: { id: lecture.id, title: 'Lecture 4', durationMs: lecture.durationMs },
    });

    expect(service.dismissRecovery(lecture.id).recoveryNotice).toBe(false);
    await engines.pop()!.close();
    // Not resumed by its recorder: the next start gives it its seek index, keeping the audio.
    const { service: later } = await startEngine(dataDir);
    expect(later.get(lecture.id).lecture).toMatchObject({ status: 'recovered', recoveryNotice: false });
    expect(Math.abs(headerDurationMs(file)! - lecture.durationMs)).toBeLessThan(100);
    expect(Math.abs(decodedDurationMs(file) - playable)).toBeLessThan(100);
  });

  it('goes on with the same lecture when the recorder kept recording through an engine restart', async () => {
    const dataDir = newDataDir();
    const acknowledged = await crashWhileRecording(dataDir, 3);
    const { service } = await startEngine(dataDir);
    const recovered = service.get(acknowledged.lectureId).lecture;
    expect(recovered.status).toBe('recovered');

    // The recorder sends again what was not acknowledged, then the rest.
    for (let seq = acknowledged.lastSeq + 1; seq < speech.chunks.length; seq++) {
      await service.appendChunk(recovered.id, seq, speech.chunks[seq]!);
    }
    expect(service.get(recovered.id).lecture).toMatchObject({ status: 'recording', recoveryNotice: false });
    const stopped = await service.stop(recovered.id);
    expect(stopped.status).toBe('recorded');
    const liveFile = join(dataDir, 'whole.webm');
    writeFileSync(liveFile, concat(speech.chunks));
    expect(
      Math.abs(decodedDurationMs(fileOf(dataDir, recovered.id)) - decodedDurationMs(liveFile)),
    ).toBeLessThan(100);
  });

  it('drops a chunk cut off mid-write at the end of the file', async () => {
    const dataDir = newDataDir();
    const first = await startEngine(dataDir);
    const { id } = await first.service.start({ classId: null, mimeType: WEBM });
    for (const seq of [0, 1, 2, 3]) await first.service.appendChunk(id, seq, speech.chunks[seq]!);
    await first.close();
    // What a write cut short by a power cut leaves: the start of chunk 4, never acknowledged.
    appendFileSync(fileOf(dataDir, id), speech.chunks[4]!.subarray(0, 1000));

    const { service } = await startEngine(dataDir);
    expect(service.get(id).lecture).toMatchObject({ status: 'recovered', lastSeq: 3 });
    expect(readFileSync(fileOf(dataDir, id)).equals(concat(speech.chunks.slice(0, 4)))).toBe(true);
    expect(Math.abs(decodedDurationMs(fileOf(dataDir, id)) - speech.startsMs[4]!)).toBeLessThan(200);
  });

  it('removes an interrupted recording that holds no audio instead of listing an empty lecture', async () => {
    const dataDir = newDataDir();
    const first = await startEngine(dataDir);
    const empty = await first.service.start({ classId: null, mimeType: WEBM });
    const headerOnly = await first.service.start({ classId: null, mimeType: WEBM });
    // The header and the start of the first cluster, up to its first audio block (a SimpleBlock, 0xA3).
    const first0 = speech.chunks[0]!;
    const header = first0.subarray(
      0,
      first0.indexOf(0xa3, first0.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]))),
    );
    await first.service.appendChunk(headerOnly.id, 0, header);
    await first.close();

    const { service, events } = await startEngine(dataDir);
    expect(service.list(undefined)).toEqual([]);
    expect(readdirSync(join(dataDir, RECORDINGS_FOLDER))).toEqual([]);
    expect(events.filter((e) => e.name === 'lectures.recovered')).toEqual([]);
    expect(events).toContainEqual({ name: 'lectures.changed', payload: { ids: [empty.id] } });
  });

  it('keeps, and marks failed, a recording whose audio cannot be read back', async () => {
    const dataDir = newDataDir();
    const first = await startEngine(dataDir);
    const { id } = await first.service.start({ classId: null, mimeType: WEBM });
    const damaged = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(4000, 0xff)]);
    await first.service.appendChunk(id, 0, damaged);
    await first.close();

    const { service } = await startEngine(dataDir);
    const { lecture } = service.get(id);
    expect(lecture).toMatchObject({ status: 'failed', recoveryNotice: true, durationMs: 0 });
    expect(lecture.error).toContain('could not be read back');
    expect(readFileSync(fileOf(dataDir, id)).equals(damaged)).toBe(true);
  });

  it('says so when an interrupted recording’s audio was removed from the data folder', async () => {
    const dataDir = newDataDir();
    const first = await startEngine(dataDir);
    const { id } = await first.service.start({ classId: null, mimeType: WEBM });
    for (const seq of [0, 1]) await first.service.appendChunk(id, seq, speech.chunks[seq]!);
    await first.close();
    rmSync(fileOf(dataDir, id));

    const { service } = await startEngine(dataDir);
    expect(service.get(id).lecture).toMatchObject({
      status: 'failed',
      recoveryNotice: true,
      error: 'The audio file is missing from the data folder.',
    });
  });
});
