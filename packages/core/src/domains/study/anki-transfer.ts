/**
 * Anki packages in and out of the study tables: an import copies the media into the blob store,
 * then stores decks, notes, cards and review logs in one transaction (a package that fails
 * anywhere leaves nothing); an export writes one deck with its history and the media it shows.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { AppError, type ImportSummary, type NoteContent } from '../../contract/index.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { openAnkiPackage } from './anki/read-anki-package.js';
import { writeAnkiPackage } from './anki/write-anki-package.js';
import type { ReviewLogRow } from './scheduling/review-log.js';
import { FsrsScheduler } from './scheduling/fsrs-scheduler.js';
import { withDefaults } from './scheduling/scheduling-options.js';
import type { IndexedNote } from './card-search.js';
import type { ExportedNote, StudyExport } from './study-export.js';
import { memoryOf, type StudyRepository } from './study-repository.js';

export async function importAnkiPackage(
  repo: StudyRepository,
  blobs: BlobStore,
  file: string,
  classId: string | null,
  /** Puts each note into search, inside the import's transaction. */
  index: (note: IndexedNote) => void = () => {},
  now = Date.now(),
): Promise<ImportSummary & { deckIds: string[] }> {
  const pkg = await openAnkiPackage(file);
  try {
    // Copies first, so fields can name them; a name another file already has gets the copy's hash in front.
    const stored = new Map<string, { name: string; sha256: string; bytes: number }>();
    for (const media of pkg.media) {
      const blob = await blobs.put(media.read());
      const taken = repo.mediaNamed(media.name);
      const name =
        taken && taken.sha256 !== blob.sha256 ? `${blob.sha256.slice(0, 12)}-${media.name}` : media.name;
      stored.set(media.name, { name, ...blob });
    }
    const contents = pkg.read({ now, mediaReference: (name) => stored.get(name)?.name ?? name });
    const withCards = new Set(contents.notes.flatMap((note) => note.cards.map((card) => card.deckSourceId)));
    let skipped = 0;
    let cards = 0;
    let reviews = 0;
    const deckIds = repo.transaction((tx) => {
      const decks = new Map<string, { id: string; scheduler: FsrsScheduler }>();
      for (const deck of contents.decks.filter((deck) => withCards.has(deck.sourceId))) {
        const id = repo.createDeck(tx, {
          classId,
          name: deck.path.join('::'),
          description: deck.description,
          options: deck.options,
        });
        decks.set(deck.sourceId, { id, scheduler: new FsrsScheduler(withDefaults(deck.options)) });
      }
      for (const note of contents.notes) {
        // The same Anki note imported again is left as it is (its history here may have moved on).
        if (repo.noteIdByGuid(note.guid)) {
          skipped += 1;
          continue;
        }
        const noteCards = note.cards.map((card) => {
          const id = randomUUID();
          const deck = decks.get(card.deckSourceId)!;
          const log = card.log.map((row) => ({ ...row, id: randomUUID(), cardId: id }) as ReviewLogRow);
          return { id, ordinal: card.ordinal, deckId: deck.id, suspended: card.suspended, log, deck };
        });
        const noteId = repo.insertNote(
          tx,
          {
            deckId: noteCards[0]!.deckId,
            content: note.content,
            tags: note.tags,
            guid: note.guid,
            createdAt: note.createdAt,
          },
          noteCards.map((card) => ({ ...card, memory: card.deck.scheduler.replay(card.log) })),
        );
        index({ id: noteId, content: note.content, tags: note.tags, classId, createdAt: note.createdAt });
        for (const card of noteCards) {
          repo.appendLog(tx, card.log);
          reviews += card.log.filter((row) => row.kind === 'answer').length;
        }
        cards += noteCards.length;
      }
      repo.addMedia(tx, [...stored.values()]);
      return [...decks.values()].map((deck) => deck.id);
    });
    return {
      format: contents.format,
      decks: deckIds.length,
      notes: contents.notes.length - skipped,
      cards,
      reviews,
      media: stored.size,
      skipped,
      warnings: contents.warnings.map((warning) => warning.message),
      deckIds,
    };
  } finally {
    pkg.close();
  }
}

/** Writes the deck as a legacy `.apkg` (readable by every Anki since 2.1) at `path`. */
export async function exportAnkiPackage(
  repo: StudyRepository,
  blobs: BlobStore,
  deckId: string,
  path: string,
  now = Date.now(),
): Promise<{ path: string; notes: number; cards: number }> {
  if (!isAbsolute(path) || extname(path).toLowerCase() !== '.apkg')
    throw new AppError(
      'INVALID_INPUT',
      'Choose where to save the deck: a full path to a file ending in .apkg.',
    );
  const deck = repo.deck(deckId);
  const { notes, cards, logs } = repo.deckContents(deckId);
  const logsByCard = groupBy(logs, (row) => row.cardId);
  const cardsByNote = groupBy(cards, (card) => card.noteId);
  const exported: ExportedNote[] = notes.map((note) => ({
    id: note.id,
    guid: note.guid,
    content: note.content as NoteContent,
    tags: note.tags,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    cards: (cardsByNote.get(note.id) ?? []).map((card) => ({
      id: card.id,
      ordinal: card.ordinal,
      deckId: card.deckId,
      suspended: card.suspended,
      memory: memoryOf(card),
      log: logsByCard.get(card.id) ?? [],
    })),
  }));
  // A media file goes along when a note names it (fields name media files by their stored name).
  const fields = exported.map((note) => JSON.stringify(note.content)).join('\n');
  const data: StudyExport = {
    decks: [
      {
        id: deck.id,
        path: deck.name.split('::'),
        description: deck.description,
        options: repo.optionsOf(deck),
      },
    ],
    notes: exported,
    media: repo
      .allMedia()
      .filter((media) => fields.includes(media.name))
      .map((media) => ({ name: media.name, read: () => createReadStream(blobs.pathOf(media.sha256)) })),
  };
  try {
    await writeAnkiPackage(path, data, { now });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EACCES'
    )
      throw new AppError(
        'INVALID_INPUT',
        `The deck could not be saved there (${(error as Error).message}). Choose a folder you can write to.`,
      );
    throw error;
  }
  return { path, notes: exported.length, cards: cards.length };
}

// Map.groupBy arrives in Node 21.
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
