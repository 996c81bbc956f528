import { expect, vi } from 'vitest';
import type {
  EngineEvent,
  EventName,
  ProcedureInput,
  ProcedureName,
  ProcedureOutput,
  Result,
  RpcError,
} from '../../contract/index.js';

/**
 * What a case talks to: the real engine over a transport, or one of the UI's in-memory test
 * engines. Cases use only the contract, so both sides can run them.
 */
export interface ContractClient {
  call(method: string, input?: unknown): Promise<Result<unknown>>;
  /** Every event received since the client connected, in order. */
  readonly events: readonly EngineEvent[];
}

/** One behaviour of the contract, run against an engine with no data. */
export interface ContractCase {
  name: string;
  run(client: ContractClient): Promise<void>;
}

/** Typed calls that fail the case when the answer is not the expected kind. */
export function tools(client: ContractClient) {
  return {
    async value<N extends ProcedureName>(method: N, input?: ProcedureInput<N>): Promise<ProcedureOutput<N>> {
      const result = await client.call(method, input ?? {});
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value as ProcedureOutput<N>;
    },
    async failure(method: string, input: unknown): Promise<RpcError> {
      const result = await client.call(method, input);
      if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
      return result.error;
    },
    /** Waits until an event named `name` (and matching `test`) has arrived. */
    async event<E extends EventName>(
      name: E,
      test: (event: Extract<EngineEvent, { name: E }>) => boolean = () => true,
    ): Promise<void> {
      const matches = (event: EngineEvent): event is Extract<EngineEvent, { name: E }> => event.name === name;
      await vi.waitFor(() => expect(client.events.filter(matches).some(test), `a ${name} event`).toBe(true), {
        timeout: 10_000,
      });
    },
  };
}
