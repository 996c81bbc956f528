import type { Lecture, NoteContent, Settings, StudyClass, TranscriptStatus } from '../contract/index.js';
import type { StoredFile } from '../storage/stored-file.js';

/**
 * What each domain lets the others read. A domain never reads another's tables; it asks the
 * owner here (or learns through an event). The registry fills these in as it creates the domains.
 */
export interface DomainQueries {
  settings: {
    get(): Settings;
  };
  classes: {
    exists(id: string): boolean;
    /** Throws NOT_FOUND when there is no such class. */
    get(id: string): StudyClass;
  };
  lectures: {
    /** Throws NOT_FOUND when there is no such lecture. */
    get(id: string): Lecture;
    /** The lecture's audio on the disk. */
    recordingFile(id: string): StoredFile;
    /** Whether a lecture is being recorded right now. */
    recordingInProgress(): boolean;
  };
  transcripts: {
    status(lectureId: string): TranscriptStatus;
  };
  study: {
    /**
     * Adds notes to the class's deck (made on first use) inside the caller's transaction when
     * there is one, so what the caller records about them commits with them; returns their ids.
     */
    addNotes(classId: string | null, contents: NoteContent[], tags: string[]): string[];
  };
}

/**
 * The queries object the registry fills in, one domain at a time. Reading one before its domain
 * exists is a mistake in the registry's order, and says so.
 */
export function lateQueries(): DomainQueries {
  const provided: Partial<DomainQueries> = {};
  return new Proxy(provided as DomainQueries, {
    get(target, name: string) {
      const queries = target[name as keyof DomainQueries];
      if (!queries) throw new Error(`The ${name} domain's queries were read before the domain was created`);
      return queries;
    },
  });
}
