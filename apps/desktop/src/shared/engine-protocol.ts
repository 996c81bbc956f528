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

/** Main -> engine. Calls use the contract's CallFrame, like every other transport. */
export type HostMessage = { type: 'init'; init: EngineInit } | CallFrame | { type: 'shutdown' };

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
      return isCallId(value.id) && typeof value.method === 'string';
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
