import type { Llama } from 'node-llama-cpp';

/** The last lines llama.cpp logged, so a failed load can say why. */
const recentLog: { seq: number; message: string }[] = [];
const RECENT_LINES = 20;
let logged = 0;

let llama: Promise<Llama> | undefined;

/**
 * The process's one CPU llama.cpp runtime, imported on first use (the native module is heavy).
 * llama.cpp's own logging is kept, quietly, to explain load failures instead of printing.
 */
export function loadLlama(): Promise<Llama> {
  llama ??= import('node-llama-cpp').then(({ getLlama, LlamaLogLevel }) =>
    getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.warn,
      logger: (_level, message) => {
        recentLog.push({ seq: logged++, message: message.trim() });
        if (recentLog.length > RECENT_LINES) recentLog.shift();
      },
    }),
  );
  return llama;
}

/** What llama.cpp logged since `mark` (a value returned by `logMark`). */
export const logMark = () => logged;
export const loggedSince = (mark: number) =>
  recentLog
    .filter((line) => line.seq >= mark && line.message)
    .map((line) => line.message)
    .join('\n');
