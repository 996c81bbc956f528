import { z } from 'zod';

/** What a call answers when the engine cannot be reached (restarting, or the connection dropped). */
export const ENGINE_UNREACHABLE_MESSAGE =
  'The engine is not reachable. It may be restarting; wait a moment and try again.';

/** The closed list of ways a call can fail. The UI maps each to a message and an action. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'MODEL_NOT_INSTALLED',
  'ENGINE_UNAVAILABLE',
  'UNAUTHORIZED',
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const RpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type RpcError = z.infer<typeof RpcErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: RpcError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** One invalid field, named by its path ("schedule.0.start"). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Thrown inside the engine to fail a call with a specific code; never crosses a process boundary. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
