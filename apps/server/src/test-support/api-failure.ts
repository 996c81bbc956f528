import { ServerApiError } from '@little-monster/sync';
import { expect } from 'vitest';

/** The ServerApiError a request must fail with (the test fails if it succeeds or fails otherwise). */
export async function apiFailure(promise: Promise<unknown>): Promise<ServerApiError> {
  const error = await promise.then(
    () => expect.unreachable('the request should have failed'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServerApiError);
  return error as ServerApiError;
}
