/**
 * What an import brings in, independent of the app it came from: decks, notes in our three note
 * kinds with Markdown fields, cards with their review history as review-log rows, and media files
 * to copy. The study domain stores it in one transaction; nothing here touches the database.
 */
import type { NoteContent } from './cards/note-content.js';
import type { AnswerRow, ResetRow, ScheduleRow } from './scheduling/review-log.js';
import type { SchedulingOptions } from './scheduling/scheduling-options.js';

export interface ImportedDeck {
  /** The source app's id for the deck, to link cards to it. */
  sourceId: string;
  /** Names from the top deck down ("Biology::Cells" is ["Biology", "Cells"]). */
  path: string[];
  description: string;
  /** Only the options the source set; the rest keep our defaults. */
  options: Partial<SchedulingOptions>;
}

/** A review-log row without the ids the store gives it. */
export type ImportedLogRow =
  Omit<AnswerRow, 'id' | 'cardId'> | Omit<ResetRow, 'id' | 'cardId'> | Omit<ScheduleRow, 'id' | 'cardId'>;

export interface ImportedCard {
  sourceId: string;
  /** Which card of the note: 0 front-to-back, 1 back-to-front, or cloze number - 1. */
  ordinal: number;
  deckSourceId: string;
  suspended: boolean;
  /** In replay order. */
  log: ImportedLogRow[];
}

export interface ImportedNote {
  sourceId: string;
  /** The source's stable note id across exports, to recognise a note imported before. */
  guid: string;
  content: NoteContent;
  tags: string[];
  cards: ImportedCard[];
  createdAt: number;
}

export interface ImportedMedia {
  /** The file name fields refer to. */
  name: string;
  /** Size declared by the package, when it says. */
  declaredBytes: number | null;
  /** The file's bytes as they are read from the package (size-capped). */
  read(): AsyncIterable<Uint8Array>;
}

export type ImportWarningKind =
  'unbalanced-cloze' | 'empty-card' | 'future-reviews' | 'unsupported-note-type' | 'missing-media';

/** Something skipped or changed on the way in, told to the student after the import. */
export interface ImportWarning {
  kind: ImportWarningKind;
  message: string;
}

/** Decks and notes; the media they show come separately, copied first so fields can refer to the copies. */
export interface StudyImport {
  format: string;
  decks: ImportedDeck[];
  notes: ImportedNote[];
  warnings: ImportWarning[];
}
