import { AppError } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { LecturesService } from './lectures-service.js';

export interface LecturesDomain extends DomainModule<ProceduresOf<'lectures'>> {
  queries: DomainQueries['lectures'];
}

/**
 * Lectures: recordings made chunk by chunk (each on the disk before it is acknowledged) or
 * imported from a file, with bookmarks. What is said in them is the transcripts domain's: it
 * hears of recordings through `lecture.*` events.
 */
export function createLectures(kit: DomainKit): LecturesDomain {
  const { events } = kit;
  const lectures = new LecturesService({
    store: kit.store,
    bus: kit.bus,
    dataDir: kit.paths.data,
    uploadsDir: kit.paths.uploads,
    logger: kit.logger,
    classExists: (id) => kit.queries.classes.exists(id),
    deleting: (id) => events.emit('lecture.deleted', { id }),
    described: (lecture) => events.emit('lecture.changed', { lecture }),
    // Its last words are captioned as when it is stopped.
    abandoned: (id) => events.emit('lecture.stopped', { id }),
    ...(kit.tuning.recordingGraceMs === undefined ? {} : { graceMs: kit.tuning.recordingGraceMs }),
  });

  return {
    handlers: {
      'lectures.list': ({ classId }) => lectures.list(classId),
      'lectures.get': ({ id }) => lectures.get(id),
      // The connection a recorder sends from tells the engine when that recorder is gone.
      'lectures.start': (input, caller) => lectures.start(input, caller.connection),
      'lectures.appendChunk': ({ id, seq, data }, caller) =>
        lectures.appendChunk(id, seq, Buffer.from(data, 'base64'), caller.connection),
      'lectures.stop': async ({ id }) => {
        const lecture = await lectures.stop(id);
        // Its last words are captioned (or the recording queued for transcription) in the background.
        events.emit('lecture.stopped', { id });
        return lecture;
      },
      'lectures.rename': ({ id, title }) => lectures.rename(id, title),
      'lectures.delete': ({ id }) => lectures.delete(id),
      'lectures.addBookmark': ({ id, atMs, note }) => lectures.addBookmark(id, atMs, note),
      'lectures.removeBookmark': ({ id }) => lectures.removeBookmark(id),
      'lectures.dismissRecovery': ({ id }) => lectures.dismissRecovery(id),
      'lectures.importAudio': async ({ classId, source }) => {
        // Record now, process later: without a speech model the lecture is kept untranscribed.
        const { lecture, ready: speechModel } = await lectures.importAudio(classId, source, () =>
          kit.engines.transcriber.pick().catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'MODEL_NOT_INSTALLED') return null;
            throw error;
          }),
        );
        if (!speechModel) return { lecture, jobId: null };
        events.emit('lecture.imported', { lecture, speechModelId: speechModel.id });
        const { jobId } = kit.queries.transcripts.status(lecture.id);
        if (!jobId) throw new AppError('INTERNAL', 'The imported lecture was not queued for transcription.');
        return { lecture, jobId };
      },
    },
    subscriptions: {
      'class.deleted': ({ id }) => lectures.unfileClass(id),
    },
    queries: {
      get: (id) => lectures.lecture(id),
      recordingFile: (id) => lectures.recordingFile(id),
      recordingInProgress: () => lectures.recordingInProgress(),
    },
    files: { recordingFile: (id) => lectures.recordingFile(id) },
    // At start-up, before any call: recordings an unexpected end left open are closed and kept.
    start: () => lectures.recoverInterrupted(),
    disconnected: (connection) => lectures.disconnected(connection),
    close: () => lectures.close(),
  };
}
