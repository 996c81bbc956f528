import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import type { NoteContent } from '../../contract/index.js';
import type { ChunkInput } from '../../search/search-index.js';
import type { SearchSource } from '../../search/search-sources.js';
import { firstFieldText, plainText } from './cards/note-content.js';
import { clozeFullText, parseCloze } from './cards/cloze.js';
import type { StudyRepository } from './study-repository.js';

const BACKFILL_BATCH = 500;

export interface IndexedNote {
  id: string;
  content: NoteContent;
  tags: readonly string[];
  classId: string | null;
  createdAt: number;
}

/** The words of every field of a note (a cloze with its deletions filled in) and its tags. */
export function noteSearchText(content: NoteContent, tags: readonly string[]): string {
  const fields =
    content.kind === 'cloze'
      ? [clozeFullText(parseCloze(content.text)), content.extra]
      : content.kind === 'image-occlusion'
        ? [content.header, content.back]
        : [content.front, content.back];
  return [...fields.map(plainText), ...tags].filter(Boolean).join(' \n ');
}

/**
 * Flashcards in search, as the `card` source with the note's id: one passage holding the note's
 * fields, titled by its first field, so a search finds a card by anything written on it.
 */
export class CardSearch {
  constructor(
    private readonly source: SearchSource,
    private readonly countTokens: () => Promise<TokenCounter>,
  ) {}

  /** Ready to index inside a transaction (which cannot wait for the tokenizer). */
  async indexer(): Promise<(note: IndexedNote) => void> {
    const count = await this.countTokens();
    return (note) => {
      const text = noteSearchText(note.content, note.tags);
      const chunk: ChunkInput = {
        text,
        heading: null,
        tokenCount: count(text),
        pageStart: null,
        pageEnd: null,
        spans: [],
      };
      this.source.replace(
        note.id,
        {
          title: firstFieldText(note.content).slice(0, 200) || 'Image card',
          classId: note.classId,
          materialType: null,
          addedAt: new Date(note.createdAt).toISOString(),
        },
        text ? [chunk] : [],
      );
    };
  }

  /**
   * Indexes the notes search lacks: cards made before flashcards were searchable, by an earlier
   * version, are found from its first start on. A few hundred notes per transaction.
   */
  async indexMissing(
    repo: Pick<StudyRepository, 'noteIds' | 'notesForSearch' | 'transaction'>,
  ): Promise<number> {
    const indexed = this.source.indexedIds();
    const missing = repo.noteIds().filter((id) => !indexed.has(id));
    if (missing.length === 0) return 0; // every start but the first after an upgrade: ids only
    const index = await this.indexer();
    for (let at = 0; at < missing.length; at += BACKFILL_BATCH) {
      const notes = repo.notesForSearch(missing.slice(at, at + BACKFILL_BATCH));
      repo.transaction(() => notes.forEach(index));
      await setImmediatePromise(); // other work between batches of a big collection
    }
    return missing.length;
  }

  /** The note's deck moved to another class. */
  moved(noteId: string, classId: string | null): void {
    this.source.describe(noteId, { classId });
  }

  remove(noteId: string): void {
    this.source.remove(noteId);
  }
}
