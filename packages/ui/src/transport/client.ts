import type {
  ErrorCode,
  FieldIssue,
  ProcedureInput,
  ProcedureName,
  ProcedureOutput,
  RpcError,
} from '@little-monster/core/contract';
import type { Transport } from './types';

/** A failed call, thrown by the typed client so react-query sees it as an error. */
export class RpcCallError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(error: RpcError) {
    super(error.message);
    this.name = 'RpcCallError';
    this.code = error.code;
    this.details = error.details;
  }

  /** The invalid fields of an INVALID_INPUT error (empty for any other error). */
  get fieldIssues(): FieldIssue[] {
    return this.code === 'INVALID_INPUT' ? toFieldIssues(this.details) : [];
  }
}

export function isRpcCallError(error: unknown, code?: ErrorCode): error is RpcCallError {
  return error instanceof RpcCallError && (code === undefined || error.code === code);
}

/** Reads `details` of INVALID_INPUT: `[{ path: 'schedule.0.start', message }]` (an array path is joined). */
export function toFieldIssues(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  const issues: FieldIssue[] = [];
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    if (typeof path === 'string') issues.push({ path, message });
    else if (Array.isArray(path)) issues.push({ path: path.map(String).join('.'), message });
  }
  return issues;
}

/** Procedures whose input has defaults may be called without one. */
export type CallArgs<N extends ProcedureName> =
  undefined extends ProcedureInput<N> ? [input?: ProcedureInput<N>] : [input: ProcedureInput<N>];

export interface EngineClient {
  call<N extends ProcedureName>(method: N, ...args: CallArgs<N>): Promise<ProcedureOutput<N>>;
  readonly transport: Transport;
}

export function createEngineClient(transport: Transport): EngineClient {
  return {
    transport,
    async call<N extends ProcedureName>(method: N, ...args: CallArgs<N>): Promise<ProcedureOutput<N>> {
      const result = await transport.call(method, args[0] ?? {});
      if (!result.ok) throw new RpcCallError(result.error);
      return result.value as ProcedureOutput<N>;
    },
  };
}
