import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { ClassesRepository } from './classes-repository.js';

export interface ClassesDomain extends DomainModule<ProceduresOf<'classes'>> {
  queries: DomainQueries['classes'];
}

/**
 * Classes (courses): schedule, exams, archive, order. The smallest domain, and the pattern the
 * others follow: a repository over its own tables, handlers that call it and tell the UI what
 * changed, and an internal event where other domains must act (their rows naming a deleted class).
 */
export function createClasses(kit: DomainKit): ClassesDomain {
  const classes = new ClassesRepository(kit.store);
  const changed = (ids: string[]) => kit.bus.emit('classes.changed', { ids });

  return {
    handlers: {
      'classes.list': ({ includeArchived }) => classes.list({ includeArchived }),
      'classes.get': ({ id }) => classes.get(id),
      'classes.create': (input) => {
        const id = classes.create(input);
        changed([id]);
        return classes.get(id);
      },
      'classes.update': ({ id, patch }) => {
        classes.update(id, patch);
        changed([id]);
        return classes.get(id);
      },
      'classes.reorder': ({ ids }) => {
        classes.reorder(ids);
        changed(ids);
        return { ok: true as const };
      },
      'classes.delete': ({ id }) => {
        // Materials, lectures and conversations of the class stay, in no class (same transaction).
        classes.delete(id, () => kit.events.emit('class.deleted', { id }));
        changed([id]);
        return { id };
      },
    },
    queries: { exists: (id) => classes.exists(id) },
  };
}
