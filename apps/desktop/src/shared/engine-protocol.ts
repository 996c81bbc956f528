import type { CallFrame, RpcError, ServerFrame } from '@little-monster/core/contract';

/** Everything the engine process needs to start, sent by main in the first message. */
export interface EngineInit {
  dataDir: string;
  logsDir: string;
  modelsDir: string;
  resourcesDir: string;
  migrationsDir: string;
  modelCatalogFile: string;
  appVersion: string;
  hostVersions: Record<string, string>;
  logLevel: string;
}

/** Where a stored file is, for the window's `lm-file:` protocol (main streams it). */
export interface StoredFile {
  path: string;
  mimeType: string;
  /** The name the window may save it under (a material: its name when it was imported). */
  name: string;
}

/**
 * Main asks where a material's original, or a lecture's recording, is stored. Private to the
 * desktop app (not procedures of the contract: a window never learns paths); answered, like a
 * call, with a `result` frame whose value is a StoredFile.
 */
export interface MaterialFileRequest {
  type: 'material-file';
  id: number;
  materialId: string;
}

export interface RecordingFileRequest {
  type: 'recording-file';
  id: number;
  lectureId: string;
}

/** A call as main relays it: the contract's CallFrame, with the window it came from. */
export type HostCall = CallFrame & { connection?: string };

/** What main sends and waits for an answer to. Calls use the contract's CallFrame, like every other transport. */
export type HostRequest = HostCall | MaterialFileRequest | RecordingFileRequest;

/** Main -> engine. `disconnected`: a window's page ended (it may have been recording). */
export type HostMessage =
  | { type: 'init'; init: EngineInit }
  | HostRequest
  | { type: 'disconnected'; connection: string }
  | { type: 'shutdown' };

/** Engine -> main. Results and events use the contract's ServerFrame. */
export type EngineMessage =
  { type: 'ready' } | { type: 'startup-failed'; error: RpcError } | ServerFrame | { type: 'closed' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isCallId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

/** Shape check for what arrives over the process boundary (structured clone keeps types, not promises). */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'init':
      return isRecord(value.init) && typeof value.init.dataDir === 'string';
    case 'call':
      return (
        isCallId(value.id) &&
        typeof value.method === 'string' &&
        (value.connection === undefined || typeof value.connection === 'string')
      );
    case 'disconnected':
      return typeof value.connection === 'string';
    case 'material-file':
      return isCallId(value.id) && typeof value.materialId === 'string';
    case 'recording-file':
      return isCallId(value.id) && typeof value.lectureId === 'string';
    case 'shutdown':
      return true;
    default:
      return false;
  }
}

export function isEngineMessage(value: unknown): value is EngineMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'closed':
      return true;
    case 'startup-failed':
      return isRecord(value.error) && typeof value.error.message === 'string';
    case 'result':
      return isCallId(value.id) && isRecord(value.result) && typeof value.result.ok === 'boolean';
    case 'event':
      return isRecord(value.event) && typeof value.event.name === 'string';
    default:
      return false;
  }
}

export function isStoredFile(value: unknown): value is StoredFile {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    value.path.length > 0 &&
    typeof value.mimeType === 'string' &&
    typeof value.name === 'string'
  );
}
