#!/usr/bin/env node
/**
 * `npm run web`: the engine and the UI in the browser, on 127.0.0.1 only.
 * Options: --data-dir DIR, --models-dir DIR, --port N (0 = any free port), --ui-dir DIR,
 * --model-catalog FILE (another catalog, e.g. an organisation's mirror), --llm-threads N.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../contract/index.js';
import { createCore } from '../core.js';
import { createLogger } from '../logging/logger.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import { endBrowserSession, readBrowserSession, saveBrowserSession } from './browser-session.js';
import { defaultUserDataDir } from './default-paths.js';
import { startEngineHost, type EngineHost } from './engine-host.js';

const DEFAULT_PORT = 47_800;
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'models-dir': { type: 'string' },
    'ui-dir': { type: 'string' },
    port: { type: 'string' },
    'model-catalog': { type: 'string' },
    'llm-threads': { type: 'string' },
  },
});

const dataDir = resolve(
  values['data-dir'] ?? process.env.LITTLE_MONSTER_DATA_DIR ?? join(defaultUserDataDir(), 'data'),
);
const modelsDir = resolve(values['models-dir'] ?? join(dirname(dataDir), 'models'));
const uiDir = resolve(values['ui-dir'] ?? join(repoRoot, 'packages', 'ui', 'dist'));
const requestedPort = Number(values.port ?? process.env.PORT ?? DEFAULT_PORT);
const llmThreads = values['llm-threads'] ? Math.max(1, Math.floor(Number(values['llm-threads']))) : undefined;
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

const logger = createLogger({ logsDir: join(dataDir, 'logs') });

try {
  const core = await createCore(
    {
      dataDir,
      modelsDir,
      resourcesDir: join(repoRoot, 'resources'),
      secrets: new KeyringSecretStore('Little Monster'),
      logger,
      appVersion: version,
      hostVersions: { host: 'browser mode' },
      ...(values['model-catalog'] ? { modelCatalogFile: resolve(values['model-catalog']) } : {}),
    },
    llmThreads ? { llmThreads } : {},
  );
  // An engine that crashed left its session: take its port and tokens, so its tabs reconnect here.
  const previous = readBrowserSession(dataDir);
  const anyPort = requestedPort === 0 || requestedPort === DEFAULT_PORT;
  const ports = [...(previous && anyPort ? [previous.port] : []), requestedPort, ...(anyPort ? [0] : [])];
  const acceptedTokenHashes = previous?.tokenHashes ?? [];
  let host: EngineHost | undefined;
  for (const [index, port] of ports.entries()) {
    try {
      host = await startEngineHost({ core, uiDir, logger, port, acceptedTokenHashes });
      break;
    } catch (error) {
      // That port is taken (another program, or a second copy with other data): try the next choice.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || index === ports.length - 1) throw error;
    }
  }
  if (!host) throw new Error('no port to listen on');
  const running = host;
  await saveBrowserSession(dataDir, previous, running.port, running.token);
  console.log(`Little Monster is running at ${running.url}`);
  console.log(`Data folder: ${dataDir}`);
  console.log('Open the address above in a browser on this computer. Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    await core.close();
    endBrowserSession(dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  const message = error instanceof AppError ? error.message : `Could not start: ${(error as Error).message}`;
  logger.error({ err: error }, 'start failed');
  console.error(message);
  process.exit(1);
}
