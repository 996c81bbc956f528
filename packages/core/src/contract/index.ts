/**
 * The one typed contract between the UI and the engine. It imports only zod, so the UI can
 * load it in a browser. Procedures are `domain.verb`, events are `domain.noun`.
 */
import { z } from 'zod';
import { accountEvents, accountProcedures } from './account.js';
import { appProcedures } from './app.js';
import { backupEvents, backupProcedures } from './backups.js';
import { classProcedures } from './classes.js';
import { generateEvents, generateProcedures } from './generate.js';
import { jobEvents, jobProcedures } from './jobs.js';
import { lectureEvents, lectureProcedures } from './lectures.js';
import { libraryEvents, libraryProcedures } from './library.js';
import { modelEvents, modelProcedures } from './models.js';
import { notesEvents, notesProcedures } from './notes.js';
import { readAloudEvents, readAloudProcedures } from './read-aloud.js';
import { SettingsSchema, settingsProcedures } from './settings.js';
import { studyEvents, studyProcedures } from './study.js';
import { transcriptEvents, transcriptProcedures } from './transcripts.js';
import { tutorEvents, tutorProcedures } from './tutor.js';

export * from './account.js';
export * from './app.js';
export * from './backups.js';
export * from './byte-range.js';
export * from './citations.js';
export * from './classes.js';
export * from './clock.js';
export * from './errors.js';
export * from './generate.js';
export * from './jobs.js';
export * from './lectures.js';
export * from './library.js';
export * from './models.js';
export * from './notes.js';
export * from './read-aloud.js';
export * from './settings.js';
export * from './sources.js';
export * from './study.js';
export * from './transcripts.js';
export * from './tutor.js';

export interface ProcedureDefinition {
  input: z.ZodType;
  output: z.ZodType;
}

export const procedures = {
  ...accountProcedures,
  ...appProcedures,
  ...backupProcedures,
  ...classProcedures,
  ...settingsProcedures,
  ...jobProcedures,
  ...modelProcedures,
  ...libraryProcedures,
  ...tutorProcedures,
  ...lectureProcedures,
  ...transcriptProcedures,
  ...studyProcedures,
  ...notesProcedures,
  ...readAloudProcedures,
  ...generateProcedures,
} as const satisfies Record<string, ProcedureDefinition>;

export const events = {
  ...accountEvents,
  ...jobEvents,
  ...backupEvents,
  ...libraryEvents,
  ...modelEvents,
  ...tutorEvents,
  ...lectureEvents,
  ...transcriptEvents,
  ...studyEvents,
  ...notesEvents,
  ...readAloudEvents,
  ...generateEvents,
  'classes.changed': z.object({ ids: z.array(z.string().uuid()) }),
  'settings.changed': z.object({ settings: SettingsSchema }),
} as const satisfies Record<string, z.ZodType>;

export type Procedures = typeof procedures;
export type ProcedureName = keyof Procedures;
/** What a caller sends (defaults may be left out). */
export type ProcedureInput<N extends ProcedureName> = z.input<Procedures[N]['input']>;
/** What a handler receives, after validation and defaults. */
export type ProcedureArgs<N extends ProcedureName> = z.output<Procedures[N]['input']>;
export type ProcedureOutput<N extends ProcedureName> = z.output<Procedures[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export type EngineEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** Who made a call: the transport's connection (a socket, a window), when the transport says. */
export interface Caller {
  connection: string | null;
}

export const UNKNOWN_CALLER: Caller = { connection: null };

/** One handler per procedure; leaving one out is a compile error where a full map is required. */
export type Handlers = {
  [N in ProcedureName]: (
    args: ProcedureArgs<N>,
    caller: Caller,
  ) => Promise<ProcedureOutput<N>> | ProcedureOutput<N>;
};

/** Where the engine sends its events (the bus that fans them out to every transport). */
export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export const isProcedureName = (name: string): name is ProcedureName =>
  Object.prototype.hasOwnProperty.call(procedures, name);

/** Largest message either transport accepts; bigger payloads travel as files, not calls. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
export * from './wire.js';
