import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import sirv from 'sirv';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { err, MAX_MESSAGE_BYTES, type CallFrame, type ServerFrame } from '../contract/index.js';
import type { Core } from '../core.js';
import { receiveUpload, sendMaterialFile } from './file-routes.js';
import { sendRecordingFile } from './recording-route.js';

export interface EngineHostOptions {
  core: Core;
  /** The built UI (packages/ui/dist). */
  uiDir: string;
  logger: Logger;
  /** 0 picks a free port. */
  port?: number;
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
}: EngineHostOptions): Promise<EngineHost> {
  const token = randomBytes(24).toString('base64url');
  const serveUi = existsSync(uiDir) ? sirv(uiDir, { etag: true, dev: false }) : undefined;
  let origins: Set<string> = new Set();
  let hosts: Set<string> = new Set();

  const server = createServer((req, res) => {
    if (!hosts.has(req.headers.host ?? '')) return refuse(res, 421, 'Unknown host');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const file = /^\/files\/([0-9a-f-]{36})$/.exec(url.pathname);
    const recording = /^\/recordings\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (url.pathname === '/uploads' || file || recording) {
      // Same checks as the socket; a same-origin GET carries no Origin header, so only the token.
      const allowed =
        sameToken(url.searchParams.get('token'), token) &&
        (req.method === 'GET' || origins.has(req.headers.origin ?? ''));
      if (!allowed) return refuse(res, 401, 'Unauthorized');
      const transfer = recording
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

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const reason =
      url.pathname !== '/rpc'
        ? [404, 'Not Found']
        : !hosts.has(req.headers.host ?? '')
          ? [421, 'Misdirected Request']
          : !origins.has(req.headers.origin ?? '')
            ? [403, 'Forbidden']
            : !sameToken(url.searchParams.get('token'), token)
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

  return {
    url: `http://${HOST}:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.close(1001, 'The engine is stopping');
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function serveSocket(ws: WebSocket, core: Core, logger: Logger): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
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
    void core
      .dispatch(frame.method, frame.input)
      .then((result) => send({ type: 'result', id: frame.id, result }));
  });
  // ws closes the socket with 1009 itself when a frame is over maxPayload; log why.
  ws.on('error', (error) => logger.warn({ err: error }, 'socket error'));
  ws.on('close', unsubscribe);
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
