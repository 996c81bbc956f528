import { mkdirSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export type { Logger } from 'pino';

/** Field names whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_KEYS = [
  'token',
  'secret',
  'password',
  'apiKey',
  'accessKeyId',
  'secretAccessKey',
  'authorization',
];

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  logsDir: string;
  level?: string;
  /** Also write to stdout (browser mode prints to the terminal). */
  alsoStdout?: boolean;
}

/** Structured JSON logs in a rotating file: 5 files of 10 MB at most. */
export function createLogger({ logsDir, level = 'info', alsoStdout = false }: LoggerOptions): Logger {
  mkdirSync(logsDir, { recursive: true });
  const file = createStream('engine.log', { path: logsDir, size: '10M', maxFiles: 5 });
  const options = { level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (!alsoStdout) return pino(options, file);
  return pino(options, pino.multistream([{ stream: file }, { stream: process.stdout }]));
}

/** A logger that writes nowhere, for tests and tools that do not want log files. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
