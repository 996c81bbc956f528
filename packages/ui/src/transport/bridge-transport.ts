import type { EngineEvent } from '@little-monster/core/contract';
import { Listeners } from './listeners';
import { isResult, unreachable } from './results';
import type { ConnectionReason, ConnectionState, EngineBridge, Transport } from './types';

/** Electron: calls and events through the preload's `window.littleMonster` bridge. */
export function createBridgeTransport(bridge: EngineBridge): Transport {
  let current: ConnectionState = 'connected';
  const events = new Listeners<[EngineEvent]>();
  const states = new Listeners<[ConnectionState, ConnectionReason | undefined]>();

  bridge.onEvent((event) => events.emit(event));
  bridge.onStatus((status) => {
    if (status === current) return;
    current = status;
    states.emit(status, status === 'reconnecting' ? 'connection lost' : undefined);
  });

  return {
    async call(method, input) {
      try {
        const result: unknown = await bridge.call(method, input);
        return isResult(result) ? result : unreachable('The engine sent an answer this window cannot read.');
      } catch {
        return unreachable();
      }
    },
    subscribe: (listener) => events.add(listener),
    state: () => current,
    onStateChange: (listener) => states.add(listener),
    ...(bridge.pathForFile ? { localFiles: { pathOf: (file: File) => bridge.pathForFile!(file) } } : {}),
  };
}
