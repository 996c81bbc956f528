import {
  CLOSE_MESSAGE_TOO_BIG,
  err,
  MAX_MESSAGE_BYTES,
  type CallFrame,
  type EngineEvent,
  type Result,
  type ServerFrame,
} from '@little-monster/core/contract';
import { createHttpFileAccess, hostOfSocketUrl, type UploadRequest } from './http-files';
import { Listeners } from './listeners';
import { isResult, unreachable } from './results';
import type { ConnectionReason, ConnectionState, Transport } from './types';

/** The part of the browser's WebSocket this transport uses (so tests can hand it a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WebSocketTransportOptions {
  /** `ws://127.0.0.1:PORT/rpc?token=TOKEN` */
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /**
   * Asks whether the engine host answers plain HTTP. A socket refused before it opened while the
   * host answers means the host refused this page's token.
   */
  probe?: (url: string) => Promise<boolean>;
  /** Waits between reconnection attempts; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** Makes the HTTP request of an upload (tests hand it a fake XMLHttpRequest). */
  createUploadRequest?: () => UploadRequest;
}

const OPEN = 1;
const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000] as const;
/** Close codes a host may use after the handshake to say the token is not (or no longer) accepted. */
const UNAUTHORIZED_CLOSE_CODES = new Set([1008, 4401]);

export const TOKEN_REFUSED_MESSAGE =
  "This page's access token is no longer valid. Open the address printed by `npm run web`.";

const encoder = new TextEncoder();

async function hostAnswers(socketUrl: string): Promise<boolean> {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  try {
    await fetch(url, { cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** Browser mode: calls and events over one WebSocket to the engine host, reconnecting when it drops. */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as WebSocketLike);
  const probe = options.probe ?? hostAnswers;
  const delays = options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;

  let current: ConnectionState = 'connecting';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let nextId = 1;
  const inFlight = new Map<number, (result: Result<unknown>) => void>();
  /** Calls made before the first connection opened; sent as soon as it does. */
  let waiting: { id: number; text: string; resolve: (result: Result<unknown>) => void }[] = [];
  const events = new Listeners<[EngineEvent]>();
  const states = new Listeners<[ConnectionState, ConnectionReason | undefined]>();

  function setState(next: ConnectionState, reason?: ConnectionReason) {
    if (next === current) return;
    current = next;
    states.emit(next, reason);
  }

  function failAll(result: Result<never>) {
    const resolvers = [...inFlight.values(), ...waiting.map((call) => call.resolve)];
    inFlight.clear();
    waiting = [];
    for (const resolve of resolvers) resolve(result);
  }

  function refuse() {
    socket = null;
    failAll(err('UNAUTHORIZED', TOKEN_REFUSED_MESSAGE));
    setState('closed', 'unauthorized');
  }

  function retryLater(reason: ConnectionReason) {
    failAll(unreachable());
    setState('reconnecting', reason);
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    attempt += 1;
    setTimeout(connect, delay);
  }

  function send(text: string, id: number, resolve: (result: Result<unknown>) => void): boolean {
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(text);
    } catch {
      return false;
    }
    inFlight.set(id, resolve);
    return true;
  }

  function receive(data: unknown) {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame?.type === 'result') {
      const resolve = inFlight.get(frame.id);
      if (!resolve) return;
      inFlight.delete(frame.id);
      resolve(
        isResult(frame.result)
          ? frame.result
          : err('INTERNAL', 'The engine sent an answer this page cannot read.'),
      );
    } else if (frame?.type === 'event' && typeof frame.event?.name === 'string') {
      events.emit(frame.event);
    }
  }

  function connect() {
    let ws: WebSocketLike;
    try {
      ws = createSocket(options.url);
    } catch {
      retryLater('connection lost');
      return;
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      if (socket !== ws) return;
      opened = true;
      attempt = 0;
      setState('connected');
      const queued = waiting;
      waiting = [];
      for (const call of queued) {
        if (!send(call.text, call.id, call.resolve)) call.resolve(unreachable());
      }
    };
    ws.onmessage = (event) => {
      if (socket === ws) receive(event.data);
    };
    // A close event always follows an error; it carries what we need.
    ws.onerror = () => {};
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (opened) {
        if (UNAUTHORIZED_CLOSE_CODES.has(event.code)) refuse();
        else retryLater(event.code === CLOSE_MESSAGE_TOO_BIG ? 'message too large' : 'connection lost');
        return;
      }
      // Refused before opening: either the engine is down, or it is up and refused our token.
      void probe(options.url).then(
        (answers) => (answers ? refuse() : retryLater('connection lost')),
        () => retryLater('connection lost'),
      );
    };
  }

  connect();

  return {
    call(method, input) {
      if (current === 'closed') return Promise.resolve(err('UNAUTHORIZED', TOKEN_REFUSED_MESSAGE));
      const id = nextId++;
      const frame: CallFrame = { type: 'call', id, method, input };
      const text = JSON.stringify(frame);
      if (encoder.encode(text).byteLength > MAX_MESSAGE_BYTES) {
        return Promise.resolve(
          err(
            'INVALID_INPUT',
            `This request is too large to send (over ${Math.round(MAX_MESSAGE_BYTES / 1024)} KB). Shorten it and try again.`,
          ),
        );
      }
      return new Promise<Result<unknown>>((resolve) => {
        if (send(text, id, resolve)) return;
        if (current === 'connecting') waiting.push({ id, text, resolve });
        else resolve(unreachable());
      });
    },
    subscribe: (listener) => events.add(listener),
    state: () => current,
    onStateChange: (listener) => states.add(listener),
    // Uploads and stored files go over HTTP to the same host, with the same token.
    files: createHttpFileAccess({
      ...hostOfSocketUrl(options.url),
      ...(options.createUploadRequest ? { createRequest: options.createUploadRequest } : {}),
    }),
  };
}
