import { WebSocket } from 'ws';
import type { EngineEvent, Result, ServerFrame } from '../contract/index.js';

export interface SocketClient {
  call(method: string, input?: unknown): Promise<Result<unknown>>;
  sendRaw(data: string | Buffer): void;
  /** The next result frame, whatever its id (for malformed frames). */
  nextResult(): Promise<{ id: number; result: Result<unknown> }>;
  events: EngineEvent[];
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** A Node WebSocket client speaking the engine's wire frames, as the browser UI does. */
export async function connectSocket(
  port: number,
  token: string,
  origin = `http://127.0.0.1:${port}`,
): Promise<SocketClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${encodeURIComponent(token)}`, { origin });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const waiting: ((frame: { id: number; result: Result<unknown> }) => void)[] = [];
  const events: EngineEvent[] = [];
  let nextId = 1;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'event') return void events.push(frame.event);
    const resolve = pending.get(frame.id);
    pending.delete(frame.id);
    if (resolve) resolve(frame.result);
    else waiting.shift()?.(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    call(method, input = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, input }));
      });
    },
    sendRaw: (data) => ws.send(data),
    nextResult: () => new Promise((resolve) => waiting.push(resolve)),
    events,
    closed,
    close: () => ws.close(),
  };
}
