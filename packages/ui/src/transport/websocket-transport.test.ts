import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '@little-monster/core/contract';
import { createWebSocketTransport, TOKEN_REFUSED_MESSAGE, type WebSocketLike } from './websocket-transport';
import type { ConnectionState } from './types';

/** A socket the test drives by hand: open it, answer frames, drop it. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: { id: number; method: string; input: unknown }[] = [];
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as FakeSocket['sent'][number]);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  serve(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code, reason: '' });
  }
}

function setup(hostAnswers = false) {
  const sockets: FakeSocket[] = [];
  const states: [ConnectionState, string | undefined][] = [];
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:4000/rpc?token=abc',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    probe: () => Promise.resolve(hostAnswers),
    retryDelaysMs: [100, 200],
  });
  transport.onStateChange((state, reason) => states.push([state, reason]));
  const latest = () => sockets[sockets.length - 1]!;
  return { transport, sockets, states, latest };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WebSocket transport', () => {
  it('sends calls made while connecting once the socket opens, and resolves them from result frames', async () => {
    const { transport, latest } = setup();
    expect(transport.state()).toBe('connecting');
    const answer = transport.call('classes.list', { includeArchived: true });
    expect(latest().sent).toEqual([]);

    latest().open();
    expect(transport.state()).toBe('connected');
    expect(latest().sent).toEqual([
      { type: 'call', id: 1, method: 'classes.list', input: { includeArchived: true } },
    ]);

    latest().serve({ type: 'result', id: 1, result: { ok: true, value: [] } });
    await expect(answer).resolves.toEqual({ ok: true, value: [] });
  });

  it('matches results to calls by id, whatever order they come back in', async () => {
    const { transport, latest } = setup();
    latest().open();
    const first = transport.call('settings.get', {});
    const second = transport.call('app.info', {});
    latest().serve({ type: 'result', id: 2, result: { ok: true, value: 'second' } });
    latest().serve({
      type: 'result',
      id: 1,
      result: { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } },
    });
    await expect(second).resolves.toEqual({ ok: true, value: 'second' });
    await expect(first).resolves.toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } });
  });

  it('delivers event frames to subscribers and ignores frames it cannot read', () => {
    const { transport, latest } = setup();
    const received: EngineEvent[] = [];
    transport.subscribe((event) => received.push(event));
    latest().open();
    latest().serve('not json');
    latest().serve({ type: 'result', id: 99, result: { ok: true, value: 1 } });
    const event = { name: 'classes.changed', payload: { ids: [] } };
    latest().serve({ type: 'event', event });
    expect(received).toEqual([event]);
  });

  it('fails calls in flight with ENGINE_UNAVAILABLE when the socket drops, then reconnects', async () => {
    const { transport, sockets, states, latest } = setup();
    latest().open();
    const pending = transport.call('classes.list', {});
    latest().drop();

    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
    const failed = await pending;
    expect(!failed.ok && failed.error.message).toMatch(/engine is not reachable/i);
    expect(transport.state()).toBe('reconnecting');
    // New calls while reconnecting fail at once instead of hanging.
    await expect(transport.call('settings.get', {})).resolves.toMatchObject({
      error: { code: 'ENGINE_UNAVAILABLE' },
    });

    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(transport.state()).toBe('connected');
    expect(states).toEqual([
      ['connected', undefined],
      ['reconnecting', 'connection lost'],
      ['connected', undefined],
    ]);
  });

  it('backs off between attempts while the engine stays down', async () => {
    const { sockets, latest } = setup(false);
    latest().open();
    latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    latest().drop(); // refused before opening; the probe says the host is down too
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
  });

  it('reports "message too large" when the engine closes with 1009', () => {
    const { states, latest } = setup();
    latest().open();
    latest().drop(1009);
    expect(states.at(-1)).toEqual(['reconnecting', 'message too large']);
  });

  it('stops with "unauthorized" when the host is up but refuses the socket (a token from an earlier start)', async () => {
    const { transport, sockets, states, latest } = setup(true);
    const queued = transport.call('settings.get', {});
    latest().drop();
    await vi.advanceTimersByTimeAsync(0);

    expect(transport.state()).toBe('closed');
    expect(states).toEqual([['closed', 'unauthorized']]);
    await expect(queued).resolves.toEqual({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: TOKEN_REFUSED_MESSAGE },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
  });

  it('refuses to send a call larger than the engine accepts, without dropping the connection', async () => {
    const { transport, latest } = setup();
    latest().open();
    const result = await transport.call('classes.create', { name: 'x'.repeat(1024 * 1024 + 1) });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(latest().sent).toEqual([]);
    expect(transport.state()).toBe('connected');
  });
});
