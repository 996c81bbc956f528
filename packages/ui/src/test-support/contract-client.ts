import type { EngineEvent } from '@little-monster/core/contract';
import type { TestEngine } from './test-engine';

/** A test engine as the contract's shared cases talk to an engine: calls, and the events since. */
export function contractClient({ transport }: TestEngine) {
  const events: EngineEvent[] = [];
  transport.subscribe((event) => events.push(event));
  return { call: (method: string, input: unknown = {}) => transport.call(method, input), events };
}
