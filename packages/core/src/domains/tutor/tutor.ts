import { availableParallelism } from 'node:os';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { GpuPreference } from '../../ai/llama/llama-runtime.js';
import type { TutorEngineChoice } from '../../contract/index.js';
import type { AppDatabase } from '../../db/open-database.js';
import type { ModelManager } from '../../models/model-manager.js';
import type { Handlers } from '../../rpc/dispatcher.js';
import type { EventBus } from '../../rpc/event-bus.js';
import type { HybridSearch } from '../../search/hybrid-search.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { ConversationStore } from './conversation-store.js';
import { TutorEngines, type CloudEngineFactory } from './tutor-engines.js';
import { TutorRetriever } from './tutor-retriever.js';
import { TutorService } from './tutor-service.js';

export interface TutorDeps {
  db: AppDatabase;
  sqlite: Database.Database;
  bus: EventBus;
  models: ModelManager;
  search: HybridSearch;
  secrets: SecretStore;
  logger: Logger;
  choice: () => TutorEngineChoice;
  /** "Use the graphics card" for local models, read at each load. */
  gpu: () => GpuPreference;
  cloudEngine: CloudEngineFactory;
  /** llama.cpp threads; default all cores but one (the UI and the rest of the engine keep one). */
  threads?: number;
  /** Context tokens for local models; default 4096 (sources, history and answer fit with room). */
  contextTokens?: number;
  /** Sampling temperature (tests use 0 for repeatable answers); default the engine's. */
  temperature?: number;
}

type TutorProcedure = `conversations.${string}` | `tutor.${string}` | `cloud.${string}`;
export type TutorHandlers = Pick<Handlers, Extract<keyof Handlers, TutorProcedure>>;

export interface Tutor {
  handlers: TutorHandlers;
  /** The engine choice or the installed models changed: reload on the next question. */
  enginesChanged(): void;
  close(): Promise<void>;
}

const DEFAULT_CONTEXT_TOKENS = 4096;

/** The AI tutor: conversations, grounded answers from the library, and the engine that writes them. */
export function createTutor(deps: TutorDeps): Tutor {
  const { bus, logger } = deps;
  const store = new ConversationStore(deps.db);
  const engines = new TutorEngines({
    models: deps.models,
    secrets: deps.secrets,
    logger,
    choice: deps.choice,
    gpu: deps.gpu,
    cloudEngine: deps.cloudEngine,
    threads: deps.threads ?? Math.max(1, availableParallelism() - 1),
    contextTokens: deps.contextTokens ?? DEFAULT_CONTEXT_TOKENS,
  });
  const service = new TutorService({
    store,
    retriever: new TutorRetriever(deps.search, deps.sqlite),
    engines,
    bus,
    logger,
    ...(deps.temperature === undefined ? {} : { temperature: deps.temperature }),
  });
  const statusChanged = () => bus.emit('tutor.statusChanged', {});

  const handlers: TutorHandlers = {
    'conversations.list': ({ classId }) => store.list(classId),
    'conversations.get': ({ id }) => ({ conversation: store.get(id), messages: store.messages(id) }),
    'conversations.create': ({ classId, title }) => {
      const conversation = store.create(classId, title);
      bus.emit('conversations.changed', { ids: [conversation.id] });
      return conversation;
    },
    'conversations.rename': ({ id, title }) => {
      const conversation = store.rename(id, title);
      bus.emit('conversations.changed', { ids: [id] });
      return conversation;
    },
    'conversations.delete': async ({ id }) => {
      store.get(id);
      // An answer being written goes first, so nothing writes into a deleted conversation.
      for (const message of store.messages(id)) await service.stop(message.id);
      store.delete(id);
      bus.emit('conversations.changed', { ids: [id] });
      return { id };
    },
    'tutor.ask': ({ conversationId, text }) => service.ask(conversationId, text),
    'tutor.stop': ({ messageId }) => service.stop(messageId),
    'tutor.regenerate': ({ messageId }) => service.regenerate(messageId),
    'tutor.status': () => engines.status(),
    'cloud.configure': async (setup) => {
      const config = await engines.configureCloud(setup);
      statusChanged();
      return config;
    },
    'cloud.remove': async ({ provider }) => {
      await engines.removeCloud(provider);
      statusChanged();
      return { provider };
    },
  };

  return {
    handlers,
    enginesChanged() {
      statusChanged();
      // An answer being written keeps its engine; the next question loads the new choice.
      if (!service.isBusy())
        void engines
          .unload()
          .catch((error: unknown) => logger.warn({ err: error }, 'the chat model could not be unloaded'));
    },
    async close() {
      await service.stopAll();
      await engines.unload();
    },
  };
}
