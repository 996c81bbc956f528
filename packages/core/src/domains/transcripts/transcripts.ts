import { availableParallelism } from 'node:os';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { AppDatabase } from '../../db/open-database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { Handlers } from '../../rpc/dispatcher.js';
import type { EventBus } from '../../rpc/event-bus.js';
import type { Library } from '../materials/library.js';
import type { LecturesService } from '../lectures/lectures-service.js';
import { SpeechModels } from './speech-models.js';
import { TranscriptIndex } from './transcript-index.js';
import { TranscriptStore } from './transcript-store.js';
import { TranscriptsService } from './transcripts-service.js';

export interface TranscriptsDeps {
  db: AppDatabase;
  sqlite: Database.Database;
  bus: EventBus;
  queue: JobQueue;
  models: ModelManager;
  library: Pick<Library, 'index' | 'tokenCounter' | 'chunksChanged' | 'files'>;
  lectures: LecturesService;
  logger: Logger;
  settings: () => { transcriptionModelId: string | null; transcriptionLanguage: string };
  /** whisper.cpp threads; default two (what live captions on base.en need), at most the cores. */
  threads?: number;
}

type TranscriptProcedure = `transcripts.${string}` | 'lectures.importAudio';
export type TranscriptHandlers = Pick<Handlers, Extract<keyof Handlers, TranscriptProcedure>>;

/** Lecture transcripts: live captions, transcription jobs, corrections, exports and their index. */
export function createTranscripts(deps: TranscriptsDeps) {
  const service = new TranscriptsService({
    store: new TranscriptStore(deps.db),
    lectures: deps.lectures,
    models: new SpeechModels(deps.models, () => deps.settings().transcriptionModelId, deps.logger),
    index: new TranscriptIndex({
      sqlite: deps.sqlite,
      index: deps.library.index,
      countTokens: async () => (await deps.library.tokenCounter()).countTokens,
      chunksChanged: deps.library.chunksChanged,
    }),
    queue: deps.queue,
    bus: deps.bus,
    sqlite: deps.sqlite,
    logger: deps.logger,
    uploadsDir: deps.library.files.uploadsDir,
    threads: deps.threads ?? Math.max(1, Math.min(2, availableParallelism())),
    language: () => deps.settings().transcriptionLanguage,
  });
  deps.queue.register(service.job());

  const handlers: TranscriptHandlers = {
    'transcripts.get': ({ lectureId }) => service.get(lectureId),
    'transcripts.statuses': () => service.statuses(),
    'transcripts.editSegment': ({ id, text }) => service.editSegment(id, text),
    'transcripts.transcribe': ({ lectureId, modelId }) => service.transcribe(lectureId, modelId),
    'transcripts.export': ({ lectureId, format }) => service.export(lectureId, format),
    'transcripts.liveAudio': ({ lectureId, startMs, pcm }) => {
      service.liveAudio(lectureId, startMs, Buffer.from(pcm, 'base64'));
      return { ok: true as const };
    },
    'lectures.importAudio': ({ classId, source }) => service.importAudio(classId, source),
  };
  return { handlers, service };
}
