import { describe, expect, it } from 'vitest';
import type { EngineEvent, Result } from '@little-monster/core/contract';
import { createBridgeTransport } from './bridge-transport';
import type { ConnectionState, EngineBridge } from './types';

function fakeBridge(call: EngineBridge['call']) {
  let emitEvent: (event: EngineEvent) => void = () => {};
  let emitStatus: (status: 'connected' | 'reconnecting') => void = () => {};
  const bridge: EngineBridge = {
    call,
    onEvent(listener) {
      emitEvent = listener;
      return () => {};
    },
    onStatus(listener) {
      emitStatus = listener;
      return () => {};
    },
  };
  return {
    bridge,
    emitEvent: (e: EngineEvent) => emitEvent(e),
    emitStatus: (s: 'connected' | 'reconnecting') => emitStatus(s),
  };
}

describe('Electron bridge transport', () => {
  it('passes calls and their results through', async () => {
    const { bridge } = fakeBridge((method, input) => Promise.resolve({ ok: true, value: { method, input } }));
    const transport = createBridgeTransport(bridge);
    await expect(transport.call('classes.get', { id: 'x' })).resolves.toEqual({
      ok: true,
      value: { method: 'classes.get', input: { id: 'x' } },
    });
  });

  it('turns a failed IPC call or an unreadable answer into ENGINE_UNAVAILABLE instead of throwing', async () => {
    const rejecting = createBridgeTransport(fakeBridge(() => Promise.reject(new Error('ipc closed'))).bridge);
    await expect(rejecting.call('settings.get', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'ENGINE_UNAVAILABLE' },
    });
    const garbled = createBridgeTransport(
      fakeBridge(() => Promise.resolve('nonsense' as unknown as Result<unknown>)).bridge,
    );
    await expect(garbled.call('settings.get', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'ENGINE_UNAVAILABLE' },
    });
  });

  it('follows the engine process restarting and forwards events to every subscriber', () => {
    const { bridge, emitEvent, emitStatus } = fakeBridge(() => Promise.resolve({ ok: true, value: null }));
    const transport = createBridgeTransport(bridge);
    const states: ConnectionState[] = [];
    transport.onStateChange((state) => states.push(state));
    const a: EngineEvent[] = [];
    const b: EngineEvent[] = [];
    transport.subscribe((e) => a.push(e));
    const stopB = transport.subscribe((e) => b.push(e));

    emitStatus('reconnecting');
    expect(transport.state()).toBe('reconnecting');
    emitStatus('connected');
    expect(states).toEqual(['reconnecting', 'connected']);

    const event: EngineEvent = { name: 'classes.changed', payload: { ids: [] } };
    emitEvent(event);
    stopB();
    emitEvent(event);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(1);
  });
});
