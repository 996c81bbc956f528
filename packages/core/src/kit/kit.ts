import type { Logger } from 'pino';
import type { EngineProvider } from '../ai/engines/engine-provider.js';
import type { EventPayload, Handlers, ProcedureName } from '../contract/index.js';
import type { DomainStore } from '../db/store.js';
import type { StorageSelfCheck } from '../db/self-check.js';
import type { RegisteredJob } from '../jobs/job-handler.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ModelManager } from '../models/model-manager.js';
import type { SearchSources } from '../search/search-sources.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { StoredFile } from '../storage/stored-file.js';
import type { SqliteReplica, SqliteReplicaOptions } from '../sync/sqlite-replica.js';
import type { DomainEvents, Subscriptions } from './domain-events.js';
import type { EventBus } from './event-bus.js';
import type { DomainQueries } from './queries.js';

/** Where things live in the data folder, and the folders the host gave. */
export interface Paths {
  data: string;
  logs: string;
  backups: string;
  /** Downloaded and extracted helper files (vocabularies); safe to delete. */
  cache: string;
  /** Files the browser mode received, waiting to be imported. */
  uploads: string;
  models: string;
  /** Files shipped with the app. */
  resources: string;
}

export interface DatabaseInfo {
  file: string;
  schemaVersion: number;
  selfCheck: StorageSelfCheck;
  sqliteVersion: string;
}

/**
 * Everything a domain is built from. `createCore` makes one kit and hands it to every domain in
 * the registry; a domain keeps what it needs and reaches nothing else.
 */
export interface DomainKit {
  /** The database: reads, and transactions whose writes feed the change log. */
  store: DomainStore;
  /** Events to the UI (the contract's). */
  bus: EventBus;
  /** Events between domains. */
  events: DomainEvents;
  /** Background work; a domain's own job kinds come back in its module's `jobs`. */
  jobs: JobQueue;
  /** Search over typed sources: a domain registers its kind of source and writes its passages. */
  search: SearchSources;
  /** Which AI engine to use now, for every port (chat model, embedder, speech, OCR…). */
  engines: EngineProvider;
  models: ModelManager;
  /** Other domains' read APIs (filled in registry order; read them when called, not while being created). */
  queries: DomainQueries;
  paths: Paths;
  database: DatabaseInfo;
  app: { version: string; hostVersions: Record<string, string> };
  /** Knobs tests turn. */
  tuning: Tuning;
  /** The engine around this opening of the data folder. */
  lifecycle: Lifecycle;
  logger: Logger;
  secrets: SecretStore;
  /** This database as a sync replica over the change feed (the account domain's, made once). */
  syncReplica(hooks: Omit<SqliteReplicaOptions, 'logger'>): SqliteReplica;
}

export interface Tuning {
  /** The chat model's sampling temperature (0 answers the same way every time). */
  llmTemperature?: number;
  /** How long a recording whose recorder's connection closed waits for it before it is recovered. */
  recordingGraceMs?: number;
  /** How often automatic backups look whether one is due. */
  autoBackupCheckMs?: number;
}

/** The data folder as the engine holds it: opened once per start, and again after a restore. */
export interface Lifecycle {
  /**
   * Closes the data folder and opens it again in this process (applying a staged restore);
   * transports, their connections and the browser's session stay as they are.
   */
  reopen(): void;
  /** The backup this opening restored (swapped in before the database opened), if any. */
  restored: EventPayload<'backups.restored'> | null;
}

/**
 * A domain as the registry sees it: the procedures it answers, its job kinds, what it does when
 * other domains' events arrive, work to do once every domain exists, and what to release at the
 * end. `P` names its procedures, so the registry can prove every procedure has a handler.
 */
export interface DomainModule<P extends ProcedureName = never> {
  handlers: Pick<Handlers, P>;
  jobs?: RegisteredJob[];
  subscriptions?: Subscriptions;
  /** Files the hosts serve outside calls (the viewer's originals, the player's recordings). */
  files?: Partial<FileAccess>;
  /** After every domain is created and before the first call (recovery of interrupted work). */
  start?(): Promise<void> | void;
  /** A transport lost a connection (a closed tab or window); calls carry their connection. */
  disconnected?(connection: string): void;
  close?(): Promise<void> | void;
}

/** Stored files the hosts (browser mode, desktop protocol) serve by id; each throws NOT_FOUND for an unknown id. */
export interface FileAccess {
  materialFile(materialId: string): StoredFile;
  recordingFile(lectureId: string): StoredFile;
  /** A deck written as an Anki package into a temporary file, for a download; `remove` deletes it. */
  deckPackage(deckId: string): Promise<ExportedFile>;
}

export interface ExportedFile {
  path: string;
  /** The file name the student gets. */
  name: string;
  remove(): Promise<void>;
}

/** The procedures whose names start with `prefix.` (a domain's usual share of the contract). */
export type ProceduresOf<Prefix extends string> = Extract<ProcedureName, `${Prefix}.${string}`>;
