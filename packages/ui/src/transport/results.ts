import { ENGINE_UNREACHABLE_MESSAGE, ERROR_CODES, err, type Result } from '@little-monster/core/contract';

export const unreachable = (message: string = ENGINE_UNREACHABLE_MESSAGE): Result<never> =>
  err('ENGINE_UNAVAILABLE', message);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Whether a value that crossed a process or socket boundary has the shape of a Result. */
export function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !isRecord(value.error)) return false;
  const { code, message } = value.error;
  return (ERROR_CODES as readonly unknown[]).includes(code) && typeof message === 'string';
}
