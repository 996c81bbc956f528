/**
 * What an export takes out: decks with their options, notes with their cards' current state and
 * full review log, and the media files the notes show. Built by the study domain from its tables;
 * written to Anki packages or CSV without touching the database.
 */
import type { CardMemory } from './scheduling/fsrs-scheduler.js';
import type { ReviewLogRow } from './scheduling/review-log.js';
import type { SchedulingOptions } from './scheduling/scheduling-options.js';
import type { NoteContent } from './cards/note-content.js';

export interface ExportedDeck {
  id: string;
  /** Names from the top deck down. */
  path: string[];
  description: string;
  options: SchedulingOptions;
}

export interface ExportedCard {
  id: string;
  ordinal: number;
  deckId: string;
  suspended: boolean;
  memory: CardMemory;
  log: ReviewLogRow[];
}

export interface ExportedNote {
  id: string;
  /** Kept from an Anki import, so Anki recognises the note; null for notes made here. */
  guid: string | null;
  content: NoteContent;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  cards: ExportedCard[];
}

export interface ExportedMedia {
  /** The file name the package gives it. */
  name: string;
  read(): AsyncIterable<Uint8Array>;
}

export interface StudyExport {
  decks: ExportedDeck[];
  notes: ExportedNote[];
  media: ExportedMedia[];
}
