import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type StudyClass } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { connectSocket } from '../test-support/socket-client.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';
import { startEngineHost, type EngineHost } from './engine-host.js';

let dir: ReturnType<typeof tempDir>;
let core: TestCore;
let host: EngineHost;

beforeEach(async () => {
  dir = tempDir();
  const uiDir = join(dir.path, 'ui');
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Little Monster</title>');
  core = await openTestCore(join(dir.path, 'data'));
  host = await startEngineHost({ core, uiDir, logger: silentLogger() });
});
afterEach(async () => {
  await host.close();
  await core.close();
  dir.remove();
});

/** A masked text frame as a browser sends it (the mask may be zero). */
function wsFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, 0x80 | length])
      : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

const classCount = async () =>
  ((await core.value<StudyClass[]>('classes.list', { includeArchived: true })) ?? []).length;

describe('engine host (browser mode)', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying a fresh token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{32}$`));
  });

  it('serves the UI with a strict content security policy', async () => {
    const response = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Little Monster</title>');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a request addressed to another host name (DNS rebinding)', async () => {
    // fetch() will not send a foreign Host header, so speak HTTP directly.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('refuses a socket with a wrong or missing token', async () => {
    await expect(connectSocket(host.port, 'not-the-token')).rejects.toThrow('HTTP 401');
    await expect(connectSocket(host.port, '')).rejects.toThrow('HTTP 401');
  });

  it('refuses a socket opened by a page from another origin, even with the token', async () => {
    await expect(connectSocket(host.port, host.token, 'https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connectSocket(host.port, host.token, 'http://127.0.0.1:1')).rejects.toThrow('HTTP 403');
  });

  it('a socket flooding the engine with 20,000 pipelined calls does not hold up another client, and gets every answer', async () => {
    const FLOOD = 20_000;
    const flooder = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    await new Promise((resolve, reject) => flooder.once('open', resolve).once('error', reject));
    let floodAnswers = 0;
    const allAnswered = new Promise<void>((resolve) =>
      flooder.on('message', () => {
        if (++floodAnswers === FLOOD) resolve();
      }),
    );
    const other = await connectSocket(host.port, host.token);
    // One write holding every call, as a misbehaving client would send them.
    const calls = Array.from({ length: FLOOD }, (_, id) =>
      JSON.stringify({ type: 'call', id, method: 'classes.list', input: { includeArchived: true } }),
    );
    const frames = calls.map((call) => wsFrame(call));
    (flooder as unknown as { _socket: Socket })._socket.write(Buffer.concat(frames));
    await new Promise((resolve) => setImmediate(resolve));
    const answer = await other.call('settings.get');
    const floodAnsweredBefore = floodAnswers;
    expect(answer.ok).toBe(true);
    // The other client was served while the flood was still being worked through.
    expect(floodAnsweredBefore).toBeLessThan(FLOOD / 100);
    await allAnswered;
    flooder.close();
    other.close();
  }, 120_000);

  it('answers malformed frames with INVALID_INPUT and changes nothing', async () => {
    const socket = await connectSocket(host.port, host.token);
    socket.sendRaw('{not json');
    expect(await socket.nextResult()).toMatchObject({
      id: -1,
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
    socket.sendRaw(JSON.stringify({ type: 'call', id: 7, method: 42 }));
    expect(await socket.nextResult()).toMatchObject({
      id: 7,
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
    socket.sendRaw(Buffer.from([1, 2, 3]));
    expect(await socket.nextResult()).toMatchObject({ id: -1, result: { ok: false } });
    const invalid = await socket.call('classes.create', { name: 42, schedule: 'mondays' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await classCount()).toBe(0);
    // The connection stays usable after bad input.
    expect((await socket.call('classes.create', { name: 'Chemistry' })).ok).toBe(true);
    socket.close();
  });

  it('closes the socket with 1009 on an oversized message and stores nothing', async () => {
    const socket = await connectSocket(host.port, host.token);
    const huge = JSON.stringify({
      type: 'call',
      id: 1,
      method: 'classes.create',
      input: { name: 'x'.repeat(MAX_MESSAGE_BYTES) },
    });
    socket.sendRaw(huge);
    const closed = await socket.closed;
    expect(closed.code).toBe(1009);
    expect(await classCount()).toBe(0);
  });

  it('pushes engine events to connected sockets', async () => {
    const socket = await connectSocket(host.port, host.token);
    await core.value('classes.create', { name: 'History' });
    const names = await waitFor(
      () => socket.events.map((event) => event.name),
      (received) => received.length > 0,
    );
    expect(names).toContain('classes.changed');
    socket.close();
  });
});
