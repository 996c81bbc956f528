import type { DomainKit, DomainModule } from '../../kit/kit.js';
import { readAppInfo } from './machine-info.js';

/** Settings › About: versions, folders, and this machine's cores, memory and free disk. */
export function createAppInfo(kit: DomainKit): DomainModule<'app.info'> {
  const { database, paths } = kit;
  return {
    handlers: {
      'app.info': () =>
        readAppInfo({
          appVersion: kit.app.version,
          hostVersions: kit.app.hostVersions,
          paths: {
            data: paths.data,
            database: database.file,
            logs: paths.logs,
            backups: paths.backups,
            models: paths.models,
            resources: paths.resources,
          },
          storage: { schemaVersion: database.schemaVersion, ...database.selfCheck },
          sqliteVersion: database.sqliteVersion,
        }),
    },
  };
}
