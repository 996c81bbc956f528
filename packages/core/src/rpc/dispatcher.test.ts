import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode, type Handlers } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { createDispatcher } from './dispatcher.js';

/** A handler table where every procedure runs `behaviour` (the dispatcher only sees the map). */
const handlersRunning = (behaviour: (args: unknown) => unknown) =>
  new Proxy({}, { get: () => behaviour }) as unknown as Handlers;

const validClass = { id: '7d1f0b1e-5a0e-4c55-9a39-2b8e7e0f4a11' };

describe('dispatcher', () => {
  it('rejects an unknown procedure without calling anything', async () => {
    let called = false;
    const dispatcher = createDispatcher(
      handlersRunning(() => (called = true)),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.explode', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Unknown procedure "classes.explode".' },
    });
    expect(called).toBe(false);
  });

  it('names every invalid field by its path and does not run the handler', async () => {
    let called = false;
    const dispatcher = createDispatcher(
      handlersRunning(() => (called = true)),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.create', {
      name: '',
      color: 'blue',
      schedule: [{ day: 9, start: '10:00', end: '09:00' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    const paths = (result.error.details as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'color', 'schedule.0.day', 'schedule.0.end']));
    expect(result.error.message).toContain('schedule.0.day');
    expect(called).toBe(false);
  });

  it('hands the handler validated input with defaults applied', async () => {
    let received: unknown;
    const dispatcher = createDispatcher(
      handlersRunning((args) => {
        received = args;
        return [];
      }),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.list', undefined);
    expect(result).toEqual({ ok: true, value: [] });
    expect(received).toEqual({ includeArchived: false });
  });

  it.each(ERROR_CODES.filter((code) => code !== 'INTERNAL'))(
    'passes %s raised by a handler through with its message',
    async (code: ErrorCode) => {
      const dispatcher = createDispatcher(
        handlersRunning(() => {
          throw new AppError(code, `it failed with ${code}`, { hint: 1 });
        }),
        silentLogger(),
      );
      expect(await dispatcher.dispatch('classes.get', validClass)).toEqual({
        ok: false,
        error: { code, message: `it failed with ${code}`, details: { hint: 1 } },
      });
    },
  );

  it('redacts unexpected errors to INTERNAL with an incident id, keeping internals out of the answer', async () => {
    const dispatcher = createDispatcher(
      handlersRunning(() => {
        throw new Error('SELECT secret_column FROM /home/student/private.db');
      }),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.get', validClass);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toMatch(/secret_column|private\.db|SELECT/);
    expect(result.error.message).toMatch(/incident [0-9a-f]{8}/);
  });

  it('treats an answer that breaks the contract as INTERNAL rather than passing it on', async () => {
    const dispatcher = createDispatcher(
      handlersRunning(() => ({ id: 'not a class' })),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.get', validClass);
    expect(result.ok ? 'ok' : result.error.code).toBe('INTERNAL');
  });

  it('turns a full disk into STORAGE_UNAVAILABLE with advice', async () => {
    const dispatcher = createDispatcher(
      handlersRunning(() => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('classes.get', validClass);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/disk is full/) },
    });
  });
});
