import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import sirv from 'sirv';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { err, MAX_MESSAGE_BYTES, type CallFrame, type ServerFrame } from '../contract/index.js';
import type { Core } from '../core.js';
import { discardUploads, removeStaleUploads, UPLOAD_TTL_MS, uploadIdsIn } from '../storage/uploads-folder.js';
import { receiveUpload, sendMaterialFile } from './file-routes.js';
import { sendDeckPackage } from './deck-export-route.js';
import { sendRecordingFile } from './recording-route.js';
import { hashToken } from './browser-session.js';

export interface EngineHostOptions {
  core: Core;
  /** The built UI (packages/ui/dist). */
  uiDir: string;
  logger: Logger;
  /** 0 picks a free port. */
  port?: number;
  /**
   * SHA-256 of earlier tokens still accepted: those of an engine that crashed, so its tabs reach
   * this one (see browser-session.ts).
   */
  acceptedTokenHashes?: readonly string[];
}

export interface EngineHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The browser mode: serves the built UI and one WebSocket on 127.0.0.1. The socket needs the
 * token made at this start and a page from this very origin, so neither other local programs
 * nor web pages the student visits can drive the engine.
 */
export async function startEngineHost({
  core,
  uiDir,
  logger,
  port = 0,
  acceptedTokenHashes = [],
}: EngineHostOptions): Promise<EngineHost> {
  const token = randomBytes(24).toString('base64url');
  const accepted = (given: string | null) =>
    sameToken(given, token) ||
    (given !== null && acceptedTokenHashes.some((hash) => sameToken(hashToken(given), hash)));
  const serveUi = existsSync(uiDir) ? sirv(uiDir, { etag: true, dev: false }) : undefined;
  let origins: Set<string> = new Set();
  let hosts: Set<string> = new Set();

  const server = createServer((req, res) => {
    if (!hosts.has(req.headers.host ?? '')) return refuse(res, 421, 'Unknown host');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const file = /^\/files\/([0-9a-f-]{36})$/.exec(url.pathname);
    const recording = /^\/recordings\/([0-9a-f-]{36})$/.exec(url.pathname);
    const deckExport = /^\/exports\/decks\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (url.pathname === '/uploads' || file || recording || deckExport) {
      // Same checks as the socket; a same-origin GET carries no Origin header, so only the token.
      const allowed =
        accepted(url.searchParams.get('token')) &&
        (req.method === 'GET' || origins.has(req.headers.origin ?? ''));
      if (!allowed) return refuse(res, 401, 'Unauthorized');
      const transfer = deckExport
        ? req.method === 'GET'
          ? sendDeckPackage(res, deckExport[1]!, (id) => core.files.deckPackage(id))
          : undefined
        : recording
          ? sendRecordingFile(req, res, recording[1]!, (id) => core.files.recordingFile(id))
          : file && req.method === 'GET'
            ? sendMaterialFile(res, file[1]!, core.files)
            : !file && req.method === 'POST'
              ? receiveUpload(req, res, core.files)
              : undefined;
      if (!transfer) return refuse(res, 405, 'Method not allowed');
      transfer.catch((error: unknown) => {
        logger.error({ err: error }, 'file transfer failed');
        if (!res.headersSent) refuse(res, 500, 'The file could not be transferred.');
        else res.destroy();
      });
      return;
    }
    if (!serveUi) return refuse(res, 503, 'The UI is not built yet. Run `npm run build` and start again.');
    serveUi(req, res, () => refuse(res, 404, 'Not found'));
  });

  // Each message of a socket is its own turn of the event loop, so a socket that sends thousands
  // of calls in one burst cannot hold the loop while another waits.
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    allowSynchronousEvents: false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const reason =
      url.pathname !== '/rpc'
        ? [404, 'Not Found']
        : !hosts.has(req.headers.host ?? '')
          ? [421, 'Misdirected Request']
          : !origins.has(req.headers.origin ?? '')
            ? [403, 'Forbidden']
            : !accepted(url.searchParams.get('token'))
              ? [401, 'Unauthorized']
              : undefined;
    if (reason) {
      logger.warn({ status: reason[0], origin: req.headers.origin }, 'refused a socket');
      socket.end(`HTTP/1.1 ${reason[0]} ${reason[1]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, core, logger));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  hosts = new Set([`${HOST}:${actualPort}`, `localhost:${actualPort}`]);
  origins = new Set([...hosts].map((host) => `http://${host}`));
  // Uploads no call took (a closed tab, a refused drop the page never followed up) go after a while.
  const uploadSweep = setInterval(() => void removeStaleUploads(core.files.uploadsDir), UPLOAD_TTL_MS / 5);
  uploadSweep.unref();

  return {
    url: `http://${HOST}:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(uploadSweep);
        for (const client of sockets.clients) client.close(1001, 'The engine is stopping');
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Calls of one socket the engine works on at once; more wait their turn in its queue. */
const MAX_CALLS_IN_FLIGHT = 8;
/** Waiting calls past which the socket is no longer read (its sender then waits on TCP). */
const MAX_CALLS_WAITING = 256;
/** Answers not yet written to a socket past which its next calls wait: a client must read. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

function serveSocket(ws: WebSocket, core: Core, logger: Logger): void {
  let unsentBytes = 0;
  // Names this connection in its calls, so the engine knows when a recorder's connection is gone.
  const caller = { connection: randomUUID() };
  const send = (frame: ServerFrame) => {
    if (ws.readyState !== ws.OPEN) return;
    const data = JSON.stringify(frame);
    const bytes = Buffer.byteLength(data);
    unsentBytes += bytes;
    ws.send(data, () => {
      unsentBytes -= bytes;
      calls.next();
    });
  };
  const calls = new CallQueue(
    async (frame) => {
      const result = await core.dispatch(frame.method, frame.input, caller);
      // A call that failed imported nothing: the uploads it named go now, not when they expire.
      if (!result.ok) await discardUploads(core.files.uploadsDir, uploadIdsIn(frame.input));
      send({ type: 'result', id: frame.id, result });
    },
    {
      canStart: () => unsentBytes < MAX_UNSENT_BYTES,
      onBacklog: (waiting) => {
        if (waiting >= MAX_CALLS_WAITING) ws.pause();
        else if (ws.isPaused && waiting < MAX_CALLS_WAITING / 2) ws.resume();
      },
    },
  );
  const unsubscribe = core.subscribe((event) => send({ type: 'event', event }));
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const { frame, id } = isBinary ? { frame: undefined, id: -1 } : parseCall(data);
    if (!frame) {
      send({
        type: 'result',
        id,
        result: err(
          'INVALID_INPUT',
          'Malformed message: expected a JSON call frame {type:"call", id, method, input}.',
        ),
      });
      return;
    }
    calls.add(frame);
  });
  // ws closes the socket with 1009 itself when a frame is over maxPayload; log why.
  ws.on('error', (error) => logger.warn({ err: error }, 'socket error'));
  ws.on('close', () => {
    unsubscribe();
    calls.clear();
    core.disconnected(caller.connection);
  });
}

/**
 * One socket's calls: at most MAX_CALLS_IN_FLIGHT at once, the rest in order behind them. Calls
 * start on a later turn of the event loop than the one that freed their room, so sockets take
 * turns rather than one socket's backlog running to its end first.
 */
class CallQueue {
  private readonly waiting: CallFrame[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (frame: CallFrame) => Promise<void>,
    private readonly options: { canStart: () => boolean; onBacklog: (waiting: number) => void },
  ) {}

  add(frame: CallFrame): void {
    this.waiting.push(frame);
    this.options.onBacklog(this.waiting.length);
    this.next();
  }

  /** On the next turn, starts as many waiting calls as there is room for. */
  next(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < MAX_CALLS_IN_FLIGHT && this.options.canStart()) {
        const frame = this.waiting.shift();
        if (!frame) break;
        this.inFlight++;
        void this.run(frame).finally(() => {
          this.inFlight--;
          this.next();
        });
      }
      this.options.onBacklog(this.waiting.length);
    });
  }

  clear(): void {
    this.waiting.length = 0;
  }
}

/** The call in a text frame, or the id to answer a malformed one with (-1 when it has none). */
function parseCall(data: RawData): { frame?: CallFrame; id: number } {
  let raw: Partial<CallFrame> | null;
  try {
    raw = JSON.parse(String(data)) as Partial<CallFrame> | null;
  } catch {
    return { id: -1 };
  }
  const id = typeof raw?.id === 'number' && Number.isSafeInteger(raw.id) ? raw.id : -1;
  if (raw?.type !== 'call' || id === -1 || typeof raw.method !== 'string') return { id };
  return { frame: { type: 'call', id, method: raw.method, input: raw.input }, id };
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
}
