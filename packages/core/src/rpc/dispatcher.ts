import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  AppError,
  err,
  isProcedureName,
  ok,
  procedures,
  type FieldIssue,
  type Handlers,
  type Result,
} from '../contract/index.js';

export interface Dispatcher {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

const describe = (issues: FieldIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

/**
 * The engine's one entry point for every transport: validates input against the contract,
 * runs the handler and answers with a Result. Internal failures are logged with an incident
 * id and reach the caller only as that id.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatcher {
  async function dispatch(method: string, input: unknown): Promise<Result<unknown>> {
    if (typeof method !== 'string' || !isProcedureName(method)) {
      return err('INVALID_INPUT', `Unknown procedure "${String(method)}".`);
    }
    const definition = procedures[method];
    const parsed = definition.input.safeParse(input);
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error);
      return err('INVALID_INPUT', `Invalid input for ${method}: ${describe(issues)}`, issues);
    }
    try {
      const handler = handlers[method] as (args: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = definition.output.safeParse(value);
      if (!checked.success) {
        return internal(
          method,
          new Error(`output does not match the contract: ${describe(fieldIssues(checked.error))}`),
        );
      }
      return ok(checked.data);
    } catch (error) {
      if (error instanceof AppError) {
        if (error.code === 'INTERNAL') return internal(method, error);
        return err(error.code, error.message, error.details);
      }
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_FULL') {
        return err(
          'STORAGE_UNAVAILABLE',
          'The disk is full. Free some space and try again; nothing was saved.',
        );
      }
      if (code === 'SQLITE_BUSY') {
        return err('ENGINE_UNAVAILABLE', 'The database is busy. Try again in a moment.');
      }
      return internal(method, error);
    }
  }

  function internal(method: string, error: unknown): Result<never> {
    const incident = randomUUID().slice(0, 8);
    logger.error({ err: error, method, incident }, 'procedure failed');
    return err(
      'INTERNAL',
      `Something went wrong inside the engine (incident ${incident}). The details are in the log.`,
      {
        incident,
      },
    );
  }

  return { dispatch };
}
