/**
 * Every failure leaves the server as `{ error: { code, message } }` with a status that fits
 * it; the message says what happened and what to do. Unexpected errors are logged and answered
 * without their details.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isConnectionFailure } from '../db/database.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthenticated = (message = 'Sign in again: this session is not valid any more.') =>
  new ApiError(401, 'UNAUTHENTICATED', message);
export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} was not found.`);
export const invalidInput = (message: string) => new ApiError(400, 'INVALID_INPUT', message);

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(body('NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]} here.`));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError)
      return reply.status(error.status).headers(error.headers).send(body(error.code, error.message));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const where = issue?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || error.validationContext;
      return reply.status(400).send(body('INVALID_INPUT', `${where}: ${issue?.message ?? 'not valid'}.`));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.status(413).send(body('TOO_LARGE', 'The request is larger than this route accepts.'));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply
        .status(415)
        .send(body('UNSUPPORTED_MEDIA_TYPE', 'Send JSON (or raw bytes to the blob routes).'));
    if (
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error instanceof SyntaxError
    )
      return reply.status(400).send(body('INVALID_INPUT', 'The request body is not valid JSON.'));
    if (isConnectionFailure(error)) {
      request.log.error({ err: error }, 'PostgreSQL is not reachable.');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(body('UNAVAILABLE', 'The server cannot reach its database right now; try again in a moment.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return reply.status(error.statusCode).send(body('INVALID_INPUT', error.message));
    request.log.error({ err: error }, 'Unexpected error');
    return reply.status(500).send(body('INTERNAL', 'Something went wrong on the server; try again later.'));
  });
}

export const body = (code: string, message: string) => ({ error: { code, message } });
