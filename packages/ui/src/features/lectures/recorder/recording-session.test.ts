import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngineClient } from '../../../transport/client';
import { installFakeMicrophone, uninstallFakeMicrophone, WEBM_HEADER } from '../test-support/fake-media';
import { createLecturesTestEngine } from '../test-support/lectures-test-engine';
import type { LiveAudio, LiveAudioHandlers } from './live-audio';
import type { LiveBlock } from './live-blocks';
import { closeMicrophone, openMicrophone, startMediaRecorder } from './media-recorder-session';
import { RecordingSession, type RecordingDeps } from './recording-session';

afterEach(uninstallFakeMicrophone);

/** A session over the in-memory engine, the fake microphone, and a clock the test moves. */
function setup(options: Parameters<typeof installFakeMicrophone>[0] = {}) {
  const engine = createLecturesTestEngine();
  const microphone = installFakeMicrophone(options);
  let now = 0;
  let live: LiveAudioHandlers | null = null;
  const liveCalls = { paused: 0, resumed: 0, closed: 0 };
  const deps: RecordingDeps = {
    call: createEngineClient(engine.transport).call,
    openMicrophone,
    closeMicrophone,
    startMediaRecorder,
    startLiveAudio(_stream, handlers): Promise<LiveAudio> {
      live = handlers;
      return Promise.resolve({
        captionsProblem: null,
        level: () => 0.5,
        pause: () => void liveCalls.paused++,
        resume: () => void liveCalls.resumed++,
        close: () => {
          liveCalls.closed++;
          return Promise.resolve();
        },
      });
    },
    now: () => now,
    wait: () => new Promise((resolve) => setTimeout(resolve, 0)),
  };
  const session = new RecordingSession(deps);
  return {
    engine,
    microphone,
    session,
    liveCalls,
    advance: (ms: number) => (now += ms),
    block: (block: LiveBlock) => live!.onBlock(block),
    stored: (id: string) => (engine.chunks.get(id) ?? []).flatMap((chunk) => [...chunk]),
  };
}

describe('RecordingSession', () => {
  it('creates nothing when the microphone is refused, and says why', async () => {
    const { engine, session } = setup({ deny: 'NotAllowedError' });
    await session.start({ deviceId: null, classId: null, title: '' });
    expect(session.getState().phase).toBe('failed');
    expect(session.getState().error).toMatch(/may not use the microphone/);
    expect(engine.callsTo('lectures.start')).toEqual([]);
    expect(engine.lectures).toEqual([]);
  });

  it('says when there is no microphone', async () => {
    const { engine, session } = setup({ deny: 'NotFoundError' });
    await session.start({ deviceId: 'usb-mic', classId: null, title: '' });
    expect(session.getState().error).toMatch(/No microphone was found/);
    expect(engine.callsTo('lectures.start')).toEqual([]);
  });

  it('records: opens the chosen microphone for speech, stores every piece in order, stops after the last', async () => {
    const { engine, microphone, session, advance, stored } = setup();
    await session.start({ deviceId: 'usb-mic', classId: null, title: 'Cell biology 4' });
    const recorder = microphone.recorder();
    expect(microphone.streams[0]!.constraints).toEqual({
      audio: {
        deviceId: { exact: 'usb-mic' },
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: true,
      },
    });
    expect(recorder.options).toEqual({ mimeType: 'audio/webm;codecs=opus', audioBitsPerSecond: 32000 });
    expect(recorder.timeslice).toBe(1000);
    const lecture = session.getState().lecture!;
    expect(lecture.title).toBe('Cell biology 4');
    expect(session.getState().phase).toBe('recording');

    recorder.emit([...WEBM_HEADER, 1]);
    recorder.emit([2, 3]);
    advance(2000);
    await session.stop();
    expect(session.getState().phase).toBe('stopped');
    expect(stored(lecture.id)).toEqual([...WEBM_HEADER, 1, 2, 3, 9, 9]);
    // The last piece was stored before the lecture was stopped.
    const order = engine.transport.calls.map((call) => call.method).filter((m) => m.startsWith('lectures.'));
    expect(order.at(-1)).toBe('lectures.stop');
    expect(order.filter((m) => m === 'lectures.appendChunk')).toHaveLength(3);
    expect(session.getState().lecture!.status).toBe('recorded');
    // The microphone is released.
    expect(microphone.streams[0]!.track.stopped).toBe(true);
  });

  it('keeps every piece when the engine restarts mid-recording: the same piece is sent again', async () => {
    const { engine, microphone, session, stored } = setup();
    await session.start({ deviceId: null, classId: null, title: '' });
    const recorder = microphone.recorder();
    const id = session.getState().lecture!.id;
    recorder.emit([...WEBM_HEADER]);
    await vi.waitFor(() => expect(stored(id)).toEqual(WEBM_HEADER));
    engine.transport.setState('reconnecting', 'connection lost');
    recorder.emit([5]);
    recorder.emit([6]);
    await vi.waitFor(() => expect(session.getState().upload.retrying).toMatch(/not reachable/));
    expect(session.getState().upload.waitingChunks).toBe(2);
    engine.transport.setState('connected');
    recorder.emit([7]);
    await session.stop();
    expect(stored(id)).toEqual([...WEBM_HEADER, 5, 6, 7, 9, 9]);
    expect(session.getState().phase).toBe('stopped');
  });

  it('sends again from the piece the engine is missing (CONFLICT after a recovery)', async () => {
    const { engine, microphone, session, stored } = setup();
    await session.start({ deviceId: null, classId: null, title: '' });
    const recorder = microphone.recorder();
    const id = session.getState().lecture!.id;
    recorder.emit([...WEBM_HEADER]);
    recorder.emit([1]);
    recorder.emit([2]);
    await vi.waitFor(() => expect(stored(id)).toEqual([...WEBM_HEADER, 1, 2]));
    // The engine came back with only the first piece on its disk.
    engine.chunks.set(id, engine.chunks.get(id)!.slice(0, 1));
    Object.assign(engine.lectures[0]!, { lastSeq: 0, bytes: 4 });
    recorder.emit([3]);
    await session.stop();
    expect(stored(id)).toEqual([...WEBM_HEADER, 1, 2, 3, 9, 9]);
  });

  it('pauses and resumes: paused time is not counted, bookmarks fall at the recorded position', async () => {
    const { engine, session, advance, liveCalls } = setup();
    await session.start({ deviceId: null, classId: null, title: '' });
    advance(10_000);
    session.pause();
    expect(session.getState().phase).toBe('paused');
    expect(liveCalls.paused).toBe(1);
    advance(60_000);
    expect(session.elapsedMs()).toBe(10_000);
    session.resume();
    advance(5_000);
    await session.addBookmark('Exam question');
    expect(engine.bookmarks.map((b) => [b.atMs, b.note])).toEqual([[15_000, 'Exam question']]);
    expect(session.getState().bookmarks).toHaveLength(1);
  });

  it('sends the live-caption audio with its place in the recording', async () => {
    const { engine, session, block } = setup();
    await session.start({ deviceId: null, classId: null, title: '' });
    block({ startMs: 0, samples: Int16Array.from([1, -1]) });
    block({ startMs: 500, samples: Int16Array.from([256]) });
    const id = session.getState().lecture!.id;
    await vi.waitFor(() =>
      expect(engine.callsTo('transcripts.liveAudio')).toEqual([
        { lectureId: id, startMs: 0, pcm: btoa(String.fromCharCode(1, 0, 0xff, 0xff)) },
        { lectureId: id, startMs: 500, pcm: btoa(String.fromCharCode(0, 1)) },
      ]),
    );
  });

  it('lets the microphone go and creates nothing when the engine cannot create the lecture', async () => {
    const { engine, microphone, session } = setup();
    engine.handlers['lectures.start'] = () => {
      throw new Error('disk on fire');
    };
    await session.start({ deviceId: null, classId: null, title: '' });
    expect(session.getState().phase).toBe('failed');
    expect(microphone.streams[0]!.track.stopped).toBe(true);
    expect(microphone.recorder().state).toBe('inactive');
  });

  it('stops with the engine’s reason when nothing was recorded', async () => {
    const { microphone, session } = setup();
    await session.start({ deviceId: null, classId: null, title: '' });
    microphone.recorder().finalPiece = [];
    await session.stop();
    expect(session.getState().phase).toBe('failed');
    expect(session.getState().error).toMatch(/Nothing was recorded/);
  });
});
