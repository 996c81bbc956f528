import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWhisperModel, WHISPER_SHAPES } from '../../../../../scripts/fixtures/make-whisper-model.js';
import { writeModelCatalog } from '../../../../../scripts/fixtures/model-catalog.js';
import { concat, JFK_WAV, readWav, silence } from '../../ai/vad/test-support/speech-audio.js';
import type { Job, Lecture, SearchHit, TranscriptSegment, TranscriptStatus } from '../../contract/index.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../../test-support/temp-core.js';
import { recordLikeMediaRecorder } from '../lectures/test-support/webm-fixture.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let modelPath: string;

type Transcript = { status: TranscriptStatus; segments: TranscriptSegment[] };

beforeAll(async () => {
  dir = tempDir('lm-transcripts-');
  modelPath = makeWhisperModel(join(dir.path, 'whisper-test.bin'), WHISPER_SHAPES.tiny).path;
  const modelCatalogFile = writeModelCatalog(dir.path, [
    { id: 'whisper-test', kind: 'stt', file: modelPath, name: 'Whisper test' },
  ]);
  core = await openTestCore(join(dir.path, 'data'), {}, { modelCatalogFile });
}, 60_000);

afterAll(async () => {
  await core?.close();
  dir?.remove();
});

const settled = (jobId: string) =>
  waitFor(
    () => core.value<Job>('jobs.get', { id: jobId }),
    (job) => ['succeeded', 'failed', 'cancelled'].includes(job.status),
    120_000,
  );

const lectures = () => core.value<Lecture[]>('lectures.list');

describe('lecture transcripts with real whisper.cpp and Silero VAD', () => {
  it('keeps an import without a speech model, to transcribe once one is installed', async () => {
    const { lecture, jobId } = await core.value<{ lecture: Lecture; jobId: string | null }>(
      'lectures.importAudio',
      { source: { kind: 'path', path: JFK_WAV } },
    );
    expect(jobId).toBeNull();
    expect(lecture).toMatchObject({ title: 'jfk', status: 'recorded', mimeType: 'audio/wav' });
    expect(lecture.durationMs).toBeGreaterThan(10_000);
    expect(await lectures()).toEqual([lecture]);
    expect(await core.value<Transcript>('transcripts.get', { lectureId: lecture.id })).toMatchObject({
      status: { state: 'none', jobId: null },
      segments: [],
    });
    expect(readFileSync(core.files.recordingFile(lecture.id).path).equals(readFileSync(JFK_WAV))).toBe(true);
    // Asked to transcribe it still without a model, the engine says what to install.
    const refused = await core.dispatch('transcripts.transcribe', { lectureId: lecture.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_INSTALLED' } });
    await core.value('lectures.delete', { id: lecture.id });
  });

  it('refuses a file that is not audio, creating nothing', async () => {
    await core.value('models.installFromFile', { id: 'whisper-test', path: modelPath });
    const fake = join(dir.path, 'lecture.mp3');
    writeFileSync(fake, '%PDF-1.4 this is not a recording');
    const result = await core.dispatch('lectures.importAudio', { source: { kind: 'path', path: fake } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await lectures()).toEqual([]);
  });

  let imported: Lecture;

  it('imports a recording and transcribes it in the background', { timeout: 120_000 }, async () => {
    const { lecture, jobId } = await core.value<{ lecture: Lecture; jobId: string }>('lectures.importAudio', {
      source: { kind: 'path', path: JFK_WAV },
    });
    imported = lecture;
    expect(lecture).toMatchObject({ title: 'jfk', status: 'recorded', mimeType: 'audio/wav' });
    expect(lecture.durationMs).toBeGreaterThan(10_000);
    expect(await settled(jobId)).toMatchObject({ status: 'succeeded' });

    const { status, segments } = await core.value<Transcript>('transcripts.get', { lectureId: lecture.id });
    expect(status).toMatchObject({ state: 'done', modelId: 'whisper-test' });
    expect(await core.value('transcripts.statuses')).toEqual({ [lecture.id]: status });
    expect(segments.length).toBeGreaterThan(0);
    for (const [i, segment] of segments.entries()) {
      expect(segment.startMs).toBeLessThanOrEqual(segment.endMs);
      expect(segment.endMs).toBeLessThanOrEqual(lecture.durationMs + 500);
      if (i > 0) expect(segment.startMs).toBeGreaterThanOrEqual(segments[i - 1]!.startMs);
    }
    // The recording is played from the lecture's own copy.
    expect(readFileSync(core.files.recordingFile(lecture.id).path).equals(readFileSync(JFK_WAV))).toBe(true);
  });

  it(
    'exports SRT, indexes a corrected line for search and keeps it through a new transcription',
    { timeout: 120_000 },
    async () => {
      const { segments } = await core.value<Transcript>('transcripts.get', { lectureId: imported.id });
      const edited = await core.value<TranscriptSegment>('transcripts.editSegment', {
        id: segments[0]!.id,
        text: 'And so, my fellow Americans',
      });
      expect(edited).toMatchObject({ edited: true, startMs: segments[0]!.startMs });

      // The corrected words are in the library index, as a passage of the lecture.
      const found = await waitFor(
        () => core.value<{ hits: SearchHit[] }>('search.query', { query: 'fellow Americans' }),
        ({ hits }) => hits.length > 0,
      );
      expect(found.hits[0]).toMatchObject({
        ref: { kind: 'lecture', id: imported.id },
        title: imported.title,
        materialType: null,
        location: { kind: 'time', startSec: edited.startMs / 1000 },
      });
      // It is the lecture's, not a material: the library neither lists nor deletes it.
      expect((await core.value<{ items: unknown[] }>('materials.list', {})).items).toEqual([]);
      const refused = await core.dispatch('materials.delete', { ids: [imported.id] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      const srt = await core.value<{ fileName: string; content: string }>('transcripts.export', {
        lectureId: imported.id,
        format: 'srt',
      });
      expect(srt.fileName).toBe('jfk.srt');
      expect(srt.content).toMatch(
        /^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\nAnd so, my fellow Americans\n/,
      );

      const seen = core.events.length;
      const { jobId } = await core.value<{ jobId: string }>('transcripts.transcribe', {
        lectureId: imported.id,
      });
      expect(await settled(jobId)).toMatchObject({ status: 'succeeded' });
      // Once the job runs it is never said to be waiting again (a free queue starts it at once).
      const states = core.events
        .slice(seen)
        .flatMap((event) =>
          event.name === 'transcripts.changed' && event.payload.lectureId === imported.id
            ? [event.payload.status.state]
            : [],
        );
      expect(states).toContain('running');
      expect(states.slice(states.indexOf('running'))).toEqual(['running', 'done']);
      const again = await core.value<Transcript>('transcripts.get', { lectureId: imported.id });
      expect(again.segments.find((s) => s.edited)).toMatchObject({ text: 'And so, my fellow Americans' });

      // A hit on a later line opens the lecture at that line, not at its passage's start.
      const last = await core.value<TranscriptSegment>('transcripts.editSegment', {
        id: again.segments.at(-1)!.id,
        text: 'ask not what your country can do for you',
      });
      const atLine = await waitFor(
        () => core.value<{ hits: SearchHit[] }>('search.query', { query: 'country' }),
        ({ hits }) => hits.length > 0,
      );
      expect(atLine.hits[0]!.location).toMatchObject({ kind: 'time', startSec: last.startMs / 1000 });
    },
  );

  it('captions a recording live, utterance by utterance, and ends with the recording', async () => {
    const recording = await recordLikeMediaRecorder(JFK_WAV);
    const lecture = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
    const pcm = readWav(JFK_WAV);
    const block = 8000; // half a second
    for (let at = 0, seq = 0; at < pcm.length; at += block) {
      const piece = pcm.subarray(at, at + block);
      const bytes = Buffer.alloc(piece.length * 2);
      piece.forEach((value, i) =>
        bytes.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(value * 32767))), i * 2),
      );
      await core.value('transcripts.liveAudio', {
        lectureId: lecture.id,
        startMs: Math.round((at / 16000) * 1000),
        pcm: bytes.toString('base64'),
      });
      // The recorder's own chunks go on alongside, about one a second.
      if (at % 16000 === 0 && seq < recording.chunks.length) {
        await core.value('lectures.appendChunk', {
          id: lecture.id,
          seq,
          data: recording.chunks[seq]!.toString('base64'),
        });
        seq += 1;
      }
    }
    // Captions arrive before the recording stops: jfk.wav has pauses between its phrases.
    await waitFor(
      () =>
        core.events.filter(
          (e) => e.name === 'transcripts.segment' && e.payload.segment.lectureId === lecture.id,
        ),
      (events) => events.length > 0,
      60_000,
    );
    expect((await core.value<Transcript>('transcripts.get', { lectureId: lecture.id })).status.state).toBe(
      'live',
    );

    await core.value('lectures.stop', { id: lecture.id });
    const done = await waitFor(
      () => core.value<Transcript>('transcripts.get', { lectureId: lecture.id }),
      (transcript) => transcript.status.state === 'done',
      60_000,
    );
    expect(done.segments.length).toBeGreaterThan(0);
    expect(done.segments.at(-1)!.endMs).toBeLessThanOrEqual(11_500);
  }, 120_000);

  it('skips captions that fall far behind, then transcribes the whole recording when it ends', async () => {
    const recording = await recordLikeMediaRecorder(JFK_WAV);
    const lecture = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
    for (const [seq, chunk] of recording.chunks.entries())
      await core.value('lectures.appendChunk', { id: lecture.id, seq, data: chunk.toString('base64') });
    // The speech and then 20 s of silence arrive at once, as from a recorder far ahead of a busy
    // engine: by the time the first utterance could be captioned it is 20 s behind.
    const { samples } = concat([readWav(JFK_WAV), silence(20)]);
    const sends = [];
    for (let at = 0; at < samples.length; at += 8000) {
      const piece = samples.subarray(at, at + 8000);
      const bytes = Buffer.alloc(piece.length * 2);
      piece.forEach((value, i) => bytes.writeInt16LE(Math.round(value * 32767), i * 2));
      sends.push(
        core.value('transcripts.liveAudio', {
          lectureId: lecture.id,
          startMs: at / 16,
          pcm: bytes.toString('base64'),
        }),
      );
    }
    await Promise.all(sends);
    await core.value('lectures.stop', { id: lecture.id });
    const transcribed = await waitFor(
      () => core.value<Transcript>('transcripts.get', { lectureId: lecture.id }),
      (transcript) =>
        transcript.status.state === 'done' &&
        transcript.status.jobId === null &&
        transcript.segments.length > 0,
      120_000,
    );
    const captions = core.events.filter(
      (e) => e.name === 'transcripts.segment' && e.payload.segment.lectureId === lecture.id,
    );
    expect(captions).toEqual([]);
    expect(
      core.events.some((e) => e.name === 'job.updated' && e.payload.job.kind === 'lecture.transcribe'),
    ).toBe(true);
    expect(transcribed.segments.at(-1)!.endMs).toBeLessThanOrEqual(11_500);
  }, 150_000);

  it('keeps the captions of a recording the engine lost, with the recording recovered', async () => {
    const recording = await recordLikeMediaRecorder(JFK_WAV);
    const lecture = await core.value<Lecture>('lectures.start', { mimeType: 'audio/webm;codecs=opus' });
    for (const [seq, chunk] of recording.chunks.entries())
      await core.value('lectures.appendChunk', { id: lecture.id, seq, data: chunk.toString('base64') });
    const pcm = readWav(JFK_WAV);
    for (let at = 0; at < pcm.length; at += 8000) {
      const piece = pcm.subarray(at, at + 8000);
      const bytes = Buffer.alloc(piece.length * 2);
      piece.forEach((value, i) => bytes.writeInt16LE(Math.round(value * 32767), i * 2));
      await core.value('transcripts.liveAudio', {
        lectureId: lecture.id,
        startMs: at / 16,
        pcm: bytes.toString('base64'),
      });
    }
    const captioned = await waitFor(
      () => core.value<Transcript>('transcripts.get', { lectureId: lecture.id }),
      (transcript) => transcript.segments.length > 0,
      60_000,
    );

    // The engine goes away without the recording being stopped, then starts again.
    await core.close();
    core = await openTestCore(
      join(dir.path, 'data'),
      {},
      { modelCatalogFile: join(dir.path, 'catalog.json') },
    );
    const { lecture: recovered } = await core.value<{ lecture: Lecture }>('lectures.get', { id: lecture.id });
    expect(recovered).toMatchObject({ status: 'recovered', recoveryNotice: true });
    const after = await core.value<Transcript>('transcripts.get', { lectureId: lecture.id });
    expect(after.status.state).toBe('done');
    expect(after.segments.slice(0, captioned.segments.length)).toEqual(captioned.segments);
  }, 120_000);

  it('refuses live audio for a lecture that is not being recorded', async () => {
    const result = await core.dispatch('transcripts.liveAudio', {
      lectureId: imported.id,
      startMs: 0,
      pcm: Buffer.alloc(320).toString('base64'),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('deletes a lecture with its transcript and its passages', async () => {
    await core.value('lectures.delete', { id: imported.id });
    const gone = await core.dispatch('transcripts.get', { lectureId: imported.id });
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
