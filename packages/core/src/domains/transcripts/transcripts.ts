import { availableParallelism } from 'node:os';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { atMatchingLine, TranscriptIndex } from './transcript-index.js';
import { TranscriptStore } from './transcript-store.js';
import { TranscriptsService } from './transcripts-service.js';

export interface TranscriptsDomain extends DomainModule<ProceduresOf<'transcripts'>> {
  queries: DomainQueries['transcripts'];
}

/**
 * What is said in lectures: live captions while recording, transcription jobs, corrections,
 * exports, and the transcripts as search's `lecture` sources. Lectures tell it what happens to
 * a recording through `lecture.*` events.
 */
export function createTranscripts(
  kit: DomainKit,
  /** whisper.cpp threads; default two (what live captions on base.en need), at most the cores. */
  threads = Math.max(1, Math.min(2, availableParallelism())),
): TranscriptsDomain {
  const { engines, logger } = kit;
  const store = new TranscriptStore(kit.store);
  const index = new TranscriptIndex({
    source: kit.search.register('lecture', (hit, query) =>
      atMatchingLine(hit, query, store.segments(hit.ref.id)),
    ),
    countTokens: async () => (await engines.tokenizer()).countTokens,
  });
  const transcripts = new TranscriptsService({
    store,
    lectures: kit.queries.lectures,
    models: engines.transcriber,
    vad: () => engines.vad(),
    index,
    queue: kit.jobs,
    bus: kit.bus,
    classTexts: (classId, limit) => kit.search.texts({ kinds: ['material'], classId }, limit),
    logger,
    threads,
    language: () => kit.queries.settings.get().transcriptionLanguage,
  });

  return {
    handlers: {
      'transcripts.get': ({ lectureId }) => transcripts.get(lectureId),
      'transcripts.statuses': () => transcripts.statuses(),
      'transcripts.editSegment': ({ id, text }) => transcripts.editSegment(id, text),
      'transcripts.transcribe': ({ lectureId, modelId }) => transcripts.transcribe(lectureId, modelId),
      'transcripts.export': ({ lectureId, format }) => transcripts.export(lectureId, format),
      'transcripts.liveAudio': ({ lectureId, startMs, pcm }) => {
        transcripts.liveAudio(lectureId, startMs, Buffer.from(pcm, 'base64'));
        return { ok: true as const };
      },
    },
    jobs: [transcripts.job()],
    subscriptions: {
      'lecture.imported': ({ lecture, speechModelId }) =>
        transcripts.queueTranscription(lecture, speechModelId),
      'lecture.stopped': ({ id }) => {
        void transcripts
          .recordingStopped(id)
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'the end of a recording was not transcribed'),
          );
      },
      'lecture.changed': ({ lecture }) => index.describe(lecture),
      'lecture.deleted': ({ id }) => transcripts.lectureDeleted(id),
    },
    queries: { status: (lectureId) => transcripts.status(lectureId) },
    start: () => transcripts.closeLostCaptions(),
    close: () => transcripts.close(),
  };
}
