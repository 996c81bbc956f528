import type { Logger } from 'pino';
import type { SecretStore } from './secrets/secret-store.js';

/** Everything platform-specific the engine needs; nothing below createCore reads globals or env. */
export interface CoreConfig {
  /** The student's data: database, content store, logs, backups. */
  dataDir: string;
  modelsDir: string;
  /** Files shipped with the app (language data, icons, default voices). */
  resourcesDir: string;
  secrets: SecretStore;
  logger: Logger;
  appVersion: string;
  /** The model catalog; defaults to the repository's `models/catalog.json` (the desktop app passes its packaged copy). */
  modelCatalogFile?: string;
  /** Where the committed drizzle migrations are; defaults to the package's own `drizzle/` folder. */
  migrationsDir?: string;
  /** Host-specific versions to show in Settings > About (Electron, Chromium...). */
  hostVersions?: Record<string, string>;
}
