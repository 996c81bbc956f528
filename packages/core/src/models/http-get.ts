import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { AppError } from '../contract/errors.js';

export interface HttpGetOptions {
  headers: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Statuses handed back to the caller; any other status becomes an error naming it. */
  accept: readonly number[];
  maxRedirects: number;
  /** No data for this long, at any point, fails the request as stalled. */
  stallTimeoutMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET with redirects followed (Hugging Face sends files from a CDN), a stall timeout and errors
 * that say what the server answered. Resolves with the response of an accepted status.
 */
export function httpGet(url: string, options: HttpGetOptions): Promise<IncomingMessage> {
  return get(new URL(url), options, options.maxRedirects);
}

function get(target: URL, options: HttpGetOptions, redirectsLeft: number): Promise<IncomingMessage> {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(
      new AppError(
        'INVALID_INPUT',
        `The download address ${target.href} is not a web address (http or https).`,
      ),
    );
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    let accepted: IncomingMessage | undefined;
    const request = client.get(target, { headers: options.headers, signal: options.signal }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECTS.has(status) && location) {
        response.resume();
        if (redirectsLeft === 0) {
          reject(
            new Error(`The download server at ${target.host} redirected too many times. Try again later.`),
          );
          return;
        }
        resolve(get(new URL(location, target), options, redirectsLeft - 1));
      } else if (options.accept.includes(status)) {
        accepted = response;
        resolve(response);
      } else {
        response.resume();
        reject(httpStatusError(status, target));
      }
    });
    // The socket's idle timer covers the body too; the body's reader must see why it stopped.
    request.setTimeout(options.stallTimeoutMs, () => {
      const stalled = new StalledError(target, options.stallTimeoutMs);
      accepted?.destroy(stalled);
      request.destroy(stalled);
    });
    request.on('error', (error) => reject(error));
  });
}

/** No bytes arrived for a while: the connection is as good as dropped. */
export class StalledError extends Error {
  constructor(target: URL, timeoutMs: number) {
    super(
      `The download from ${target.host} stalled: nothing arrived for ${Math.round(timeoutMs / 1000)} seconds.`,
    );
    this.name = 'StalledError';
  }
}

/** 404 and 403 are final (another attempt gets the same answer); 5xx and 429 may pass. */
export function httpStatusError(status: number, target: URL): Error {
  const answer = `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
  if (status === 404 || status === 410) {
    return new AppError(
      'NOT_FOUND',
      `The download server has no file at this address (${answer} from ${target.host}). The catalog entry may be out of date: update the app, or use a file you already have.`,
    );
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'UNAUTHORIZED',
      `The download server refused access (${answer} from ${target.host}). Download the file in a browser if you can, then choose “Use a file I already have”.`,
    );
  }
  if (status === 429 || status >= 500) {
    return new Error(
      `The download server could not send the file right now (${answer} from ${target.host}). Try again later; what was already downloaded is kept.`,
    );
  }
  return new Error(
    `The download server gave an answer this app does not expect (${answer} from ${target.host}).`,
  );
}
