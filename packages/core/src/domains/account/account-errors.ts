import {
  ClockSkewError,
  DecryptionError,
  ServerApiError,
  ServerUnreachableError,
  SyncDidNotSettleError,
  WeakPassphraseError,
  WrongPassphraseError,
} from '@little-monster/sync';
import { AppError, type ErrorCode } from '../../contract/index.js';

/** The contract's error for what the server or the sync rules said, keeping their message. */
export function accountError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (error instanceof ServerApiError) return new AppError(codeForStatus(error.status), error.message);
  if (error instanceof WrongPassphraseError) return new AppError('UNAUTHORIZED', error.message);
  if (error instanceof WeakPassphraseError) return new AppError('INVALID_INPUT', error.message);
  if (error instanceof ServerUnreachableError || error instanceof SyncDidNotSettleError)
    return new AppError('ENGINE_UNAVAILABLE', error.message);
  if (error instanceof ClockSkewError || error instanceof DecryptionError)
    return new AppError('CONFLICT', error.message);
  return error instanceof Error ? error : new Error(String(error));
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 400 || status === 413 || status === 422) return 'INVALID_INPUT';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  return 'ENGINE_UNAVAILABLE';
}
