import { describe, expect, it } from 'vitest';
import type { EngineEvent, Result } from '@little-monster/core/contract';
import { createBridgeTransport } from './bridge-transport';
import { UploadError } from './http-files';
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

  it('points the viewer at the desktop’s lm-file: URL of a material, and uploads nothing', async () => {
    const transport = createBridgeTransport(
      fakeBridge(() => Promise.resolve({ ok: true, value: null })).bridge,
    );
    const id = '0b6f3c1e-5d1a-4f7e-9c2b-8a4d2e6f1a3b';
    expect(transport.files?.urlOf(id)).toBe(`lm-file://material/${id}`);
    // Whatever the id, it stays one path segment of that URL.
    expect(transport.files?.urlOf('../x/y?z')).toBe('lm-file://material/..%2Fx%2Fy%3Fz');
    expect(transport.files?.recordingUrl?.(id)).toBe(`lm-file://recording/${id}`);
    expect(transport.files?.recordingUrl?.('../x')).toBe('lm-file://recording/..%2Fx');
    const refused = transport.files?.upload(new File(['x'], 'notes.txt'));
    await expect(refused).rejects.toBeInstanceOf(UploadError);
    await expect(refused).rejects.toThrow(/by their path/);
  });

  it('imports chosen files by their path on this computer', () => {
    const { bridge } = fakeBridge(() => Promise.resolve({ ok: true, value: null }));
    const file = new File(['x'], 'notes.txt');
    const transport = createBridgeTransport({ ...bridge, pathForFile: () => '/home/ada/notes.txt' });
    expect(transport.localFiles?.pathOf(file)).toBe('/home/ada/notes.txt');
  });

  it('asks the system’s save dialog where an exported deck goes, and has no download address', async () => {
    const { bridge } = fakeBridge(() => Promise.resolve({ ok: true, value: null }));
    const asked: string[] = [];
    const transport = createBridgeTransport({
      ...bridge,
      pathForFile: () => '',
      chooseDeckExportFile: (name) => {
        asked.push(name);
        return Promise.resolve(name === 'Spanish.apkg' ? '/home/ada/Spanish.apkg' : null);
      },
    });
    await expect(transport.localFiles?.chooseDeckExportFile?.('Spanish.apkg')).resolves.toBe(
      '/home/ada/Spanish.apkg',
    );
    await expect(transport.localFiles?.chooseDeckExportFile?.('Other.apkg')).resolves.toBeNull();
    expect(asked).toEqual(['Spanish.apkg', 'Other.apkg']);
    expect(transport.files?.deckExportUrl).toBeUndefined();
  });
});
