import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { createModelHandlers } from './model-handlers.js';

/** Settings › Models: the catalog joined with what is installed, downloads and "use a file I have". */
export function createModels(kit: DomainKit): DomainModule<ProceduresOf<'models'>> {
  return {
    handlers: createModelHandlers(kit.models, kit.jobs),
    jobs: [kit.models.downloadJob()],
  };
}
