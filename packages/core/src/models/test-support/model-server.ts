/**
 * A download server on 127.0.0.1 for the downloader's tests: serves one file with HTTP Range
 * support, and can misbehave on request (drop the connection, ignore Range, stall, fail).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServerBehaviour {
  /** Destroys the socket after sending this many body bytes, once. */
  dropAfterBytes?: number | undefined;
  /** Answers 200 with the whole file even when a Range was asked for. */
  ignoreRange?: boolean;
  /** Sends the headers, then nothing at all. */
  stall?: boolean;
  /** Sends the body in chunks of this size with `delayMs` between them. */
  throttle?: { chunkBytes: number; delayMs: number } | undefined;
}

export interface RecordedRequest {
  path: string;
  range: string | undefined;
}

export interface ModelServer {
  /** `/model` serves the file; `/redirect` and `/redirect-twice` lead to it; `/status/404` answers 404. */
  url(path?: string): string;
  behaviour: ServerBehaviour;
  body: Buffer;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** `files` are more paths it serves plainly (a voice's settings file beside the voice). */
export async function startModelServer(
  body: Buffer,
  files: Record<string, Buffer> = {},
): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const state: { behaviour: ServerBehaviour; body: Buffer } = { behaviour: {}, body };
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, range: request.headers.range });
    if (path === '/redirect') return redirect(response, '/redirect-twice');
    if (path === '/redirect-twice') return redirect(response, '/model');
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      response.writeHead(Number(status[1]), { 'content-type': 'text/html' });
      response.end('<!doctype html><title>error</title>');
      return;
    }
    const file = files[path];
    if (file) {
      response.writeHead(200, { 'content-length': file.length });
      response.end(file);
      return;
    }
    if (path !== '/model') {
      response.writeHead(404);
      response.end();
      return;
    }
    serveFile(request, response, state.body, state.behaviour);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path = '/model') => `http://127.0.0.1:${port}${path}`,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value) {
      state.behaviour = value;
    },
    get body() {
      return state.body;
    },
    set body(value) {
      state.body = value;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location });
  response.end();
}

function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  behaviour: ServerBehaviour,
) {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  let start = 0;
  if (match && !behaviour.ignoreRange) {
    start = Number(match[1]);
    if (start >= body.length) {
      response.writeHead(416, { 'content-range': `bytes */${body.length}` });
      response.end();
      return;
    }
    response.writeHead(206, {
      'content-length': body.length - start,
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'accept-ranges': 'bytes',
    });
  } else {
    response.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
  }
  if (behaviour.stall) {
    response.flushHeaders();
    return;
  }
  const rest = body.subarray(start);
  const drop = behaviour.dropAfterBytes;
  if (drop !== undefined) {
    behaviour.dropAfterBytes = undefined;
    // Drop a moment after the bytes left, as a real network does: the client has them by then.
    response.write(rest.subarray(0, drop), () => setTimeout(() => response.socket?.destroy(), 100));
    return;
  }
  if (!behaviour.throttle) {
    response.end(rest);
    return;
  }
  const { chunkBytes, delayMs } = behaviour.throttle;
  let offset = 0;
  const sendNext = () => {
    if (response.destroyed) return;
    const chunk = rest.subarray(offset, offset + chunkBytes);
    offset += chunk.length;
    if (offset >= rest.length) response.end(chunk);
    else response.write(chunk, () => setTimeout(sendNext, delayMs));
  };
  sendNext();
}
