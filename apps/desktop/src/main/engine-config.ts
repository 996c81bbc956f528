import { join, resolve } from 'node:path';
import type { EngineInit } from '../shared/engine-protocol.js';

export interface HostEnvironment {
  isPackaged: boolean;
  /** app.getPath('userData'). */
  userDataDir: string;
  /** process.resourcesPath: where electron-builder puts extraResources. */
  resourcesPath: string;
  /** app.getAppPath(): apps/desktop in development. */
  appPath: string;
  appVersion: string;
  hostVersions: Record<string, string>;
}

/**
 * Where the engine keeps and finds things. The data and models folders match the browser mode's
 * defaults (`npm run web`), so both open the same data (never at once: the engine locks it).
 * Packaged, the read-only parts come from the extraResources of electron-builder.yml; in
 * development from the repository.
 */
export function engineInitFor(host: HostEnvironment): EngineInit {
  const dataDir = join(host.userDataDir, 'data');
  const repoRoot = resolve(host.appPath, '..', '..');
  return {
    dataDir,
    logsDir: join(dataDir, 'logs'),
    modelsDir: join(host.userDataDir, 'models'),
    resourcesDir: host.isPackaged ? join(host.resourcesPath, 'resources') : join(repoRoot, 'resources'),
    migrationsDir: host.isPackaged
      ? join(host.resourcesPath, 'migrations')
      : join(repoRoot, 'packages', 'core', 'drizzle'),
    modelCatalogFile: host.isPackaged
      ? join(host.resourcesPath, 'models', 'catalog.json')
      : join(repoRoot, 'models', 'catalog.json'),
    appVersion: host.appVersion,
    hostVersions: host.hostVersions,
    logLevel: host.isPackaged ? 'info' : 'debug',
  };
}
