import type { Handlers, ProcedureName } from '../contract/index.js';
import type { DomainKit, DomainModule } from '../kit/kit.js';
import { createAccount } from './account/account.js';
import { createAppInfo } from './app-info/app-info.js';
import { createBackups } from './backups/backups.js';
import { createClasses } from './classes/classes.js';
import { createCloud } from './cloud/cloud.js';
import { createJobs } from './jobs/jobs.js';
import { createLectures } from './lectures/lectures.js';
import { createMaterials } from './materials/materials.js';
import { createReadAloud } from './read-aloud/read-aloud.js';
import { createModels } from './models/models.js';
import { createNotes } from './notes/notes.js';
import { createSearch } from './search/search.js';
import { createStudy } from './study/study.js';
import { createSettings } from './settings/settings.js';
import { createTranscripts } from './transcripts/transcripts.js';
import { createTutor } from './tutor/tutor.js';
import { createGenerate } from './generate/generate.js';

/**
 * Every domain of the engine, listed once, in the order they are made: a domain that offers
 * queries (`kit.queries`) comes before the domains that read them while being made. Adding a
 * domain is one line here.
 */
export async function createDomains(kit: DomainKit) {
  const { queries } = kit;
  const settings = createSettings(kit);
  queries.settings = settings.queries;
  const classes = createClasses(kit);
  queries.classes = classes.queries;
  const lectures = createLectures(kit);
  queries.lectures = lectures.queries;
  const transcripts = createTranscripts(kit);
  queries.transcripts = transcripts.queries;
  const study = createStudy(kit);
  queries.study = study.queries;
  const domains = [
    settings,
    classes,
    createJobs(kit),
    createModels(kit),
    createCloud(kit),
    createAppInfo(kit),
    createBackups(kit),
    createSearch(kit),
    await createMaterials(kit),
    lectures,
    transcripts,
    createTutor(kit),
    study,
    createNotes(kit),
    createGenerate(kit),
    createReadAloud(kit),
    createAccount(kit),
  ] as const;
  const everyProcedureAnswered: [Unanswered<(typeof domains)[number]>] extends [never]
    ? true
    : { 'procedures without a handler': Unanswered<(typeof domains)[number]> } = true;
  void everyProcedureAnswered;
  return { domains: domains as readonly DomainModule[], handlers: handlersOf(domains) };
}

/** The procedures of the contract that no domain answers (a compile error in createDomains). */
type Unanswered<M> = Exclude<ProcedureName, M extends { handlers: infer H } ? keyof H : never>;

function handlersOf(domains: readonly { handlers: object }[]): Handlers {
  const handlers: Partial<Handlers> = {};
  for (const domain of domains) {
    for (const name of Object.keys(domain.handlers) as ProcedureName[]) {
      if (handlers[name]) throw new Error(`Two domains answer "${name}"`);
      Object.assign(handlers, { [name]: domain.handlers[name as keyof typeof domain.handlers] });
    }
  }
  return handlers as Handlers;
}
