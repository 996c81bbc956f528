#!/usr/bin/env node
/**
 * `npm run web`: the engine and the UI in the browser, on 127.0.0.1 only (`--help` lists the
 * options). Stops cleanly on SIGINT, SIGTERM and SIGHUP, and when the `npm start` that launched
 * it goes away; a stop that cannot finish in time still ends the process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineHost } from './engine-host.js';
import { parseServerArgs, USAGE } from './server-options.js';

/** Closing waits for running jobs to notice; past this the process ends anyway. */
const STOP_DEADLINE_MS = 10_000;
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const parsed = parseServerArgs(process.argv.slice(2), process.env, {
  uiDir: join(repoRoot, 'packages', 'ui', 'dist'),
});
if ('help' in parsed) {
  console.log(USAGE);
  process.exit(0);
}
if ('error' in parsed) {
  console.error(`${parsed.error}\n\n${USAGE}`);
  process.exit(2);
}
const { options } = parsed;
// Loaded once the command line is known to start something: --help answers at once.
const [
  { AppError },
  { createCore },
  { createLogger },
  { KeyringSecretStore },
  { startEngineHost },
  { endBrowserSession, readBrowserSession, saveBrowserSession },
] = await Promise.all([
  import('../contract/index.js'),
  import('../core.js'),
  import('../logging/logger.js'),
  import('../secrets/keyring-secret-store.js'),
  import('./engine-host.js'),
  import('./browser-session.js'),
]);
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const logger = createLogger({ logsDir: join(options.dataDir, 'logs') });

try {
  const core = await createCore(
    {
      dataDir: options.dataDir,
      modelsDir: options.modelsDir,
      resourcesDir: join(repoRoot, 'resources'),
      secrets: new KeyringSecretStore('Little Monster'),
      logger,
      appVersion: version,
      hostVersions: { host: 'browser mode' },
      ...(options.modelCatalogFile ? { modelCatalogFile: options.modelCatalogFile } : {}),
    },
    options.llmThreads ? { llmThreads: options.llmThreads } : {},
  );
  // An engine that crashed left its session: take its port and tokens, so its tabs reconnect here.
  const previous = readBrowserSession(options.dataDir);
  const anyPort = options.port === 0 || options.defaultPort;
  const ports = [...(previous && anyPort ? [previous.port] : []), options.port, ...(anyPort ? [0] : [])];
  const acceptedTokenHashes = previous?.tokenHashes ?? [];
  let host: EngineHost | undefined;
  for (const [index, port] of ports.entries()) {
    try {
      host = await startEngineHost({ core, uiDir: options.uiDir, logger, port, acceptedTokenHashes });
      break;
    } catch (error) {
      // That port is taken (another program, or a second copy with other data): try the next choice.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || index === ports.length - 1) throw error;
    }
  }
  if (!host) throw new Error('no port to listen on');
  const running = host;
  await saveBrowserSession(options.dataDir, previous, running.port, running.token);
  console.log(`Little Monster is running at ${running.url}`);
  console.log(`Data folder: ${options.dataDir}`);
  console.log('Open the address above in a browser on this computer. Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    setTimeout(() => {
      logger.error('the engine did not close in time; stopping anyway');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await running.close();
    await core.close();
    endBrowserSession(options.dataDir);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  // Started by `npm start` with a channel: its end means npm start is gone, however it went.
  if (process.connected) process.on('disconnect', () => void stop('the launcher went away'));
} catch (error) {
  const message = error instanceof AppError ? error.message : `Could not start: ${(error as Error).message}`;
  logger.error({ err: error }, 'start failed');
  console.error(message);
  process.exit(1);
}
