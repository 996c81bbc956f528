import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type OpenedDatabase } from '../../../db/open-database.js';
import { classes } from '../../../db/schema/classes.js';
import { Store } from '../../../db/store.js';
import { EventBus } from '../../../kit/event-bus.js';
import { silentLogger } from '../../../logging/logger.js';
import { LecturesService } from '../lectures-service.js';

/**
 * The lectures domain's service over a real database in `dataDir`, alone: what the rest of the
 * engine would do when a lecture is deleted or renamed is left out.
 */
export function openLectures(
  dataDir: string,
  migrationsDir: string,
): {
  service: LecturesService;
  storage: OpenedDatabase;
  bus: EventBus;
} {
  const logger = silentLogger();
  const storage = openDatabase({ dataDir, migrationsDir, backupsDir: join(dataDir, 'backups'), logger });
  const bus = new EventBus();
  const service = new LecturesService({
    store: new Store(storage.sqlite, storage.db),
    bus,
    dataDir,
    uploadsDir: join(dataDir, 'uploads'),
    logger,
    classExists: (id) => storage.db.select().from(classes).where(eq(classes.id, id)).get() !== undefined,
    deleting: () => {},
    described: () => {},
  });
  return { service, storage, bus };
}
