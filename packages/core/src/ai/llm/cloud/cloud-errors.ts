import { AppError, type ErrorCode } from '../../../contract/index.js';

/**
 * Seconds a service asked the client to wait (`retry-after-ms` or `retry-after`, in seconds or
 * as an HTTP date), rounded up; undefined when it said nothing usable.
 */
export function retryAfterSeconds(header: (name: string) => string | null | undefined): number | undefined {
  const milliseconds = Number(header('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return Math.ceil(milliseconds / 1000);
  const value = header('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/** True for failures below HTTP: no connection, DNS, reset, TLS (Node, undici and http2 codes). */
export function isNetworkFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|ERR_HTTP2_|ERR_SSL_|UND_ERR_|CERT_|UNABLE_TO_)/.test(code))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Builds the errors a cloud engine throws. Any text that came from a service passes through
 * `redact` first: a message must never carry a key, whatever the service echoed back.
 */
export class CloudErrors {
  private readonly secrets: string[];

  constructor(
    private readonly service: 'bedrock' | 'azure-openai' | 'azure-speech',
    secrets: (string | undefined)[],
  ) {
    // Short strings would match ordinary words; real keys are long.
    this.secrets = secrets.filter((secret): secret is string => !!secret && secret.length >= 8);
  }

  redact(text: string): string {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('[redacted]');
    return clean;
  }

  error(code: ErrorCode, message: string, details: Record<string, unknown> = {}): AppError {
    const safe: Record<string, unknown> = { service: this.service };
    for (const [key, value] of Object.entries(details)) {
      if (value !== undefined) safe[key] = typeof value === 'string' ? this.redact(value) : value;
    }
    return new AppError(code, this.redact(message), safe);
  }
}
