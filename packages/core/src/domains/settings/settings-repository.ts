import type { Logger } from 'pino';
import { SETTING_DEFAULTS, SettingsSchema, type Settings } from '../../contract/index.js';
import { settings } from '../../db/schema/settings.js';
import type { DomainStore } from '../../db/store.js';

/** Typed settings over key/value rows; a stored value that no longer validates reads as its default. */
export class SettingsRepository {
  constructor(
    private readonly store: DomainStore,
    private readonly logger: Logger,
  ) {}

  get(): Settings {
    const stored = Object.fromEntries(
      this.store.read
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

  update(patch: Partial<Settings>): void {
    const updatedAt = new Date().toISOString();
    this.store.transaction((tx) => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) tx.upsert(settings, { key, value, updatedAt }, { value, updatedAt });
      }
    });
  }
}
