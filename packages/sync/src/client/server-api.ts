/**
 * Calls to the account and sync server from a device: JSON in and out, checked against the
 * shared schemas, the access token attached and refreshed once when the server says it expired,
 * and failures turned into errors that say what happened.
 */
import type { z } from 'zod';
import { errorBodySchema, syncResponseSchema } from '../protocol.js';
import type { SyncTransport } from './sync-client.js';

export interface ApiSession {
  /** The current access token. */
  accessToken(): Promise<string>;
  /** Called once after a 401: gets a new access token (rotating the refresh token), or throws. */
  refresh(): Promise<string>;
}

export interface ServerApiOptions {
  /** The server's address, e.g. `https://sync.example.org`. */
  baseUrl: string;
  session?: ApiSession;
  fetch?: typeof fetch;
  /** Time allowed for one request. */
  timeoutMs?: number;
}

/** The server answered with an error. */
export class ServerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After`, when the server said when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ServerApiError';
  }
}

/** No answer: the server is down, unreachable, or the connection broke. */
export class ServerUnreachableError extends Error {
  constructor(baseUrl: string, cause: unknown) {
    super(`The sync server at ${baseUrl} could not be reached; changes stay on this computer until it can.`, {
      cause,
    });
    this.name = 'ServerUnreachableError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** Raw bytes instead of JSON. */
  bytes?: Uint8Array;
  query?: Record<string, string>;
  /** Without it the request carries no access token. */
  auth?: boolean;
  signal?: AbortSignal;
}

export class ServerApi {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ServerApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** A JSON request whose answer must match `schema` (204 answers give undefined). */
  async json<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    options: RequestOptions = {},
  ): Promise<z.infer<T>> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return schema.parse(undefined);
    return schema.parse(await response.json());
  }

  /** A request whose successful answer is read by the caller (a download, a stream). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const auth = options.auth ?? true;
    let response = await this.attempt(
      method,
      path,
      options,
      auth ? await this.session().accessToken() : undefined,
    );
    if (response.status === 401 && auth) {
      await response.body?.cancel();
      response = await this.attempt(method, path, options, await this.session().refresh());
    }
    if (!response.ok) throw await apiError(response);
    return response;
  }

  /** The sync route as a {@link SyncTransport}. */
  syncTransport(): SyncTransport {
    return { sync: (request) => this.json('POST', '/v1/sync', syncResponseSchema, { body: request }) };
  }

  private async attempt(method: string, path: string, options: RequestOptions, token: string | undefined) {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let body: RequestInit['body'];
    if (options.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = options.bytes;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await this.fetch(url, { method, headers, body, signal, redirect: 'manual' });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ServerUnreachableError(this.baseUrl, error);
    }
  }

  private session(): ApiSession {
    if (!this.options.session) throw new Error('This request needs a signed-in session.');
    return this.options.session;
  }
}

async function apiError(response: Response): Promise<ServerApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const parsed = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  if (parsed.success)
    return new ServerApiError(
      response.status,
      parsed.data.error.code,
      parsed.data.error.message,
      retryAfterSeconds,
    );
  return new ServerApiError(
    response.status,
    'UNEXPECTED_RESPONSE',
    `The sync server answered ${response.status} ${response.statusText}.`,
    retryAfterSeconds,
  );
}
