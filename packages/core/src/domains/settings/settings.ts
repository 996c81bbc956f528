import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { SettingsRepository } from './settings-repository.js';

export interface SettingsDomain extends DomainModule<ProceduresOf<'settings'>> {
  queries: DomainQueries['settings'];
}

/** The student's preferences. Other domains read them through `queries` and follow `settings.changed`. */
export function createSettings(kit: DomainKit): SettingsDomain {
  const settings = new SettingsRepository(kit.store, kit.logger);
  return {
    handlers: {
      'settings.get': () => settings.get(),
      'settings.update': (patch) => {
        const previous = settings.get();
        settings.update(patch);
        const current = settings.get();
        kit.events.emit('settings.changed', { settings: current, previous });
        kit.bus.emit('settings.changed', { settings: current });
        return current;
      },
    },
    queries: { get: () => settings.get() },
  };
}
