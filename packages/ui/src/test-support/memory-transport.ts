/**
 * FOR UI COMPONENT TESTS ONLY. An in-memory transport over hand-written handlers; product code
 * always talks to the real engine (WebSocket or Electron bridge).
 */
import {
  err,
  procedures,
  type EngineEvent,
  type ProcedureArgs,
  type ProcedureName,
  type ProcedureOutput,
  type Result,
} from '@little-monster/core/contract';
import { RpcCallError } from '../transport/client';
import { Listeners } from '../transport/listeners';
import type { ConnectionReason, ConnectionState, Transport } from '../transport/types';

export type MemoryHandlers = {
  [N in ProcedureName]?: (input: ProcedureArgs<N>) => ProcedureOutput<N> | Promise<ProcedureOutput<N>>;
};

export interface MemoryTransport extends Transport {
  /** Delivers an event to subscribers, as the engine would. */
  emit(event: EngineEvent): void;
  setState(state: ConnectionState, reason?: ConnectionReason): void;
  /** Every call received, in order, with its input as sent. */
  readonly calls: { method: string; input: unknown }[];
}

/** Fails the current call with this error (throw it from a handler). */
export const rpcError = (code: RpcCallError['code'], message: string, details?: unknown) =>
  new RpcCallError(details === undefined ? { code, message } : { code, message, details });

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/**
 * Input is checked against the real contract, like the engine's dispatcher does, so an invalid
 * form answers INVALID_INPUT with the same field paths.
 */
export function createMemoryTransport(handlers: MemoryHandlers): MemoryTransport {
  let current: ConnectionState = 'connected';
  const events = new Listeners<[EngineEvent]>();
  const states = new Listeners<[ConnectionState, ConnectionReason | undefined]>();
  const calls: { method: string; input: unknown }[] = [];

  async function call(method: string, input: unknown): Promise<Result<unknown>> {
    calls.push({ method, input: copy(input) });
    await Promise.resolve();
    if (current !== 'connected') return err('ENGINE_UNAVAILABLE', 'The engine is not reachable.');
    if (!(method in procedures)) return err('INVALID_INPUT', `Unknown procedure "${method}".`);
    const definition = procedures[method as ProcedureName];
    const parsed = definition.input.safeParse(copy(input));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(input)',
        message: issue.message,
      }));
      return err('INVALID_INPUT', `Invalid input for ${method}`, issues);
    }
    const handler = handlers[method as ProcedureName] as ((args: unknown) => unknown) | undefined;
    if (!handler) return err('INTERNAL', `The test gave no handler for ${method}.`);
    try {
      return { ok: true, value: copy(await handler(parsed.data)) };
    } catch (error) {
      if (error instanceof RpcCallError) return err(error.code, error.message, error.details);
      return err('INTERNAL', String(error));
    }
  }

  return {
    call,
    calls,
    subscribe: (listener) => events.add(listener),
    state: () => current,
    onStateChange: (listener) => states.add(listener),
    emit: (event) => events.emit(copy(event)),
    setState(state, reason) {
      current = state;
      states.emit(state, reason);
    },
  };
}
