import { describe, expect, it } from 'vitest';
import { createHttpFileAccess, hostOfSocketUrl, UploadError, type UploadRequest } from './http-files';
import { createWebSocketTransport, type WebSocketLike } from './websocket-transport';

/** An XMLHttpRequest the test answers by hand. */
class FakeRequest implements UploadRequest {
  upload: UploadRequest['upload'] = { onprogress: null };
  status = 0;
  responseText = '';
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

function setup() {
  const requests: FakeRequest[] = [];
  const files = createHttpFileAccess({
    origin: 'http://127.0.0.1:5123',
    token: 'a b',
    createRequest: () => {
      const request = new FakeRequest();
      requests.push(request);
      return request;
    },
  });
  return { files, requests, latest: () => requests[requests.length - 1]! };
}

const pdf = () => new File([new Uint8Array(1000)], 'notes.pdf', { type: 'application/pdf' });

describe('browser-mode file access', () => {
  it('posts the raw file with the token and reports progress until the host answers with an upload id', async () => {
    const { files, latest } = setup();
    const progress: [number, number][] = [];
    const file = pdf();
    const uploading = files.upload(file, { onProgress: (sent, total) => progress.push([sent, total]) });

    expect(latest().method).toBe('POST');
    expect(latest().url).toBe('http://127.0.0.1:5123/uploads?token=a%20b');
    expect(latest().headers['Content-Type']).toBe('application/octet-stream');
    expect(latest().body).toBe(file);
    latest().upload.onprogress?.({ loaded: 400, total: 1000, lengthComputable: true });
    latest().answer(201, { uploadId: '6f1c1a52-1111-4111-8111-111111111111', bytes: 1000 });

    await expect(uploading).resolves.toEqual({
      uploadId: '6f1c1a52-1111-4111-8111-111111111111',
      bytes: 1000,
    });
    expect(progress).toEqual([
      [400, 1000],
      [1000, 1000],
    ]);
  });

  it('says why the host refused a file, and when it could not be reached', async () => {
    const { files, latest } = setup();
    const tooBig = files.upload(pdf());
    latest().answer(413, { error: 'This file is larger than 200 MB.' });
    await expect(tooBig).rejects.toMatchObject({ status: 413, message: 'This file is larger than 200 MB.' });

    const refused = files.upload(pdf());
    latest().answer(401, 'Unauthorized');
    await expect(refused).rejects.toThrow(/access token/);

    const lost = files.upload(pdf());
    latest().onerror?.();
    await expect(lost).rejects.toThrow(/could not be sent to the engine/);
  });

  it('stops an upload when its signal aborts', async () => {
    const { files } = setup();
    const controller = new AbortController();
    const uploading = files.upload(pdf(), { signal: controller.signal });
    controller.abort();
    const error = (await uploading.catch((e: unknown) => e)) as UploadError;
    expect(error).toBeInstanceOf(UploadError);
    expect(error.aborted).toBe(true);
  });

  it('gives the stored original’s address with the token', () => {
    const { files } = setup();
    expect(files.urlOf('1e0c2b0d-2222-4222-8222-222222222222')).toBe(
      'http://127.0.0.1:5123/files/1e0c2b0d-2222-4222-8222-222222222222?token=a%20b',
    );
  });

  it('gives a lecture recording’s address with the token', () => {
    const { files } = setup();
    expect(files.recordingUrl?.('1e0c2b0d-2222-4222-8222-222222222222')).toBe(
      'http://127.0.0.1:5123/recordings/1e0c2b0d-2222-4222-8222-222222222222?token=a%20b',
    );
  });

  it('gives a deck’s download address with the token', () => {
    const { files } = setup();
    expect(files.deckExportUrl?.('1e0c2b0d-2222-4222-8222-222222222222')).toBe(
      'http://127.0.0.1:5123/exports/decks/1e0c2b0d-2222-4222-8222-222222222222?token=a%20b',
    );
    expect(files.deckExportUrl?.('../x')).toBe('http://127.0.0.1:5123/exports/decks/..%2Fx?token=a%20b');
  });

  it('is offered by the WebSocket transport for the host it connects to', () => {
    expect(hostOfSocketUrl('wss://localhost:9000/rpc?token=xyz')).toEqual({
      origin: 'https://localhost:9000',
      token: 'xyz',
    });
    const socket: WebSocketLike = {
      readyState: 0,
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      send: () => {},
      close: () => {},
    };
    const transport = createWebSocketTransport({
      url: 'ws://127.0.0.1:4000/rpc?token=abc',
      createSocket: () => socket,
    });
    expect(transport.files?.urlOf('m')).toBe('http://127.0.0.1:4000/files/m?token=abc');
    expect(transport.files?.recordingUrl?.('r')).toBe('http://127.0.0.1:4000/recordings/r?token=abc');
  });
});
