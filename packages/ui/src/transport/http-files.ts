import type { FileAccess, UploadOptions } from './types';

/** Why an upload did not produce an upload id, in words the student can act on. */
export class UploadError extends Error {
  readonly status: number | null;
  readonly aborted: boolean;

  constructor(message: string, options: { status?: number | null; aborted?: boolean } = {}) {
    super(message);
    this.name = 'UploadError';
    this.status = options.status ?? null;
    this.aborted = options.aborted ?? false;
  }
}

/** The part of XMLHttpRequest an upload uses (XHR, unlike fetch, reports upload progress). */
export interface UploadRequest {
  readonly upload: {
    onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
  };
  readonly status: number;
  readonly responseText: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
}

export interface HttpFileAccessOptions {
  /** The engine host's origin, e.g. `http://127.0.0.1:5123`. */
  origin: string;
  token: string | null;
  createRequest?: () => UploadRequest;
}

export const UPLOAD_UNREACHABLE_MESSAGE =
  'The file could not be sent to the engine. Check that Little Monster is still running, then try again.';
const UPLOAD_REFUSED_MESSAGE =
  "The engine refused this page's access token. Open the address printed by `npm run web` again.";

function serverMessage(responseText: string): string | undefined {
  try {
    const body = JSON.parse(responseText) as { error?: unknown };
    return typeof body.error === 'string' && body.error ? body.error : undefined;
  } catch {
    return undefined;
  }
}

function readUploadId(responseText: string): { uploadId: string; bytes: number } | undefined {
  try {
    const body = JSON.parse(responseText) as { uploadId?: unknown; bytes?: unknown };
    if (typeof body.uploadId !== 'string') return undefined;
    return { uploadId: body.uploadId, bytes: typeof body.bytes === 'number' ? body.bytes : 0 };
  } catch {
    return undefined;
  }
}

function failureOf(status: number, responseText: string): UploadError {
  const said = serverMessage(responseText);
  if (status === 401 || status === 403) return new UploadError(UPLOAD_REFUSED_MESSAGE, { status });
  if (status === 413) {
    return new UploadError(said ?? 'This file is too large to import.', { status });
  }
  return new UploadError(said ?? `The engine did not accept the file (HTTP ${status}). Try again.`, {
    status,
  });
}

/**
 * Browser mode: files travel over plain HTTP to the engine host that served the page (same
 * origin, same token as the socket), because a WebSocket message is capped at 1 MB.
 */
export function createHttpFileAccess({
  origin,
  token,
  // XHR's handlers take full ProgressEvents; an upload reads only loaded/total/lengthComputable.
  createRequest = () => new XMLHttpRequest() as unknown as UploadRequest,
}: HttpFileAccessOptions): FileAccess {
  const withToken = (path: string) => `${origin}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  return {
    urlOf: (materialId) => withToken(`/files/${encodeURIComponent(materialId)}`),
    recordingUrl: (lectureId) => withToken(`/recordings/${encodeURIComponent(lectureId)}`),
    deckExportUrl: (deckId) => withToken(`/exports/decks/${encodeURIComponent(deckId)}`),

    upload(file: File, { onProgress, signal }: UploadOptions = {}) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(new UploadError('The upload was cancelled.', { aborted: true }));
          return;
        }
        const request = createRequest();
        const stopListening = () => signal?.removeEventListener('abort', abort);
        function abort() {
          request.abort();
        }
        signal?.addEventListener('abort', abort, { once: true });
        request.upload.onprogress = (event) =>
          onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
        request.onload = () => {
          stopListening();
          const answer = request.status === 201 ? readUploadId(request.responseText) : undefined;
          if (answer) {
            onProgress?.(file.size, file.size);
            resolve(answer);
          } else {
            reject(failureOf(request.status, request.responseText));
          }
        };
        request.onerror = () => {
          stopListening();
          reject(new UploadError(UPLOAD_UNREACHABLE_MESSAGE));
        };
        request.onabort = () => {
          stopListening();
          reject(new UploadError('The upload was cancelled.', { aborted: true }));
        };
        request.open('POST', withToken('/uploads'));
        request.setRequestHeader('Content-Type', 'application/octet-stream');
        request.send(file);
      });
    },
  };
}

/** The engine host's HTTP origin and token, from the socket address the page connects to. */
export function hostOfSocketUrl(socketUrl: string): { origin: string; token: string | null } {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return { origin: url.origin, token: url.searchParams.get('token') };
}
