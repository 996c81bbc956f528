#!/usr/bin/env node
/**
 * `npm run web`: the engine and the UI in the browser, on 127.0.0.1 only (`--help` lists the
 * options). Stops cleanly on SIGINT, SIGTERM and SIGHUP, and when the `npm start` that launched
 * it goes away; a stop that cannot finish in time still ends the process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
const [{ AppError }, { createCore }, { createLogger }, { KeyringSecretStore }, { startEngineHost }] =
  await Promise.all([
    import('../contract/index.js'),
    import('../core.js'),
    import('../logging/logger.js'),
    import('../secrets/keyring-secret-store.js'),
    import('./engine-host.js'),
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
  const start = (port: number) => startEngineHost({ core, uiDir: options.uiDir, logger, port });
  const host = await start(options.port).catch((error: NodeJS.ErrnoException) => {
    // The usual port is taken (another program, or a second copy with other data): any free one will do.
    if (error.code === 'EADDRINUSE' && options.defaultPort) return start(0);
    throw error;
  });
  console.log(`Little Monster is running at ${host.url}`);
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
    await host.close();
    await core.close();
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
