import type { Logger } from 'pino';
import { SETTING_DEFAULTS, SettingsSchema, type Settings } from '../../contract/index.js';
import type { AppDatabase } from '../../db/open-database.js';
import { settings } from '../../db/schema/index.js';
import type { EventBus } from '../../rpc/event-bus.js';

/** Typed settings over key/value rows; a stored value that no longer validates reads as its default. */
export class SettingsService {
  constructor(
    private readonly db: AppDatabase,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  get(): Settings {
    const stored = Object.fromEntries(
      this.db
        .select()
        .from(settings)
        .all()
        .map((row) => [row.key, row.value]),
    );
    const result: Settings = { ...SETTING_DEFAULTS };
    for (const key of Object.keys(SETTING_DEFAULTS) as (keyof Settings)[]) {
      if (!(key in stored)) continue;
      const field = SettingsSchema.shape[key].safeParse(stored[key]);
      if (field.success) Object.assign(result, { [key]: field.data });
      else this.logger.warn({ key }, 'stored setting is invalid; using the default');
    }
    return result;
  }

  update(patch: Partial<Settings>): Settings {
    const now = new Date().toISOString();
    this.db.transaction((tx) => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        tx.insert(settings)
          .values({ key, value, updatedAt: now })
          .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
          .run();
      }
    });
    const current = this.get();
    this.bus.emit('settings.changed', { settings: current });
    return current;
  }
}
