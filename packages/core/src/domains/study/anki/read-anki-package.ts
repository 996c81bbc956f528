/**
 * Opens an Anki package (.apkg deck or .colpkg collection, in the anki2, anki21 or zstd anki21b
 * format). Everything is checked on opening: a package that is refused gives one clear message and
 * leaves nothing behind. The caller then copies the media files (they stay in the archive until
 * read) and reads the decks and notes with fields that refer to the copies; problems with single
 * notes are skipped and told as warnings. `close()` must be called when done.
 */
import { AppError } from '../../../contract/index.js';
import type { SchedulingOptions } from '../scheduling/scheduling-options.js';
import type {
  ImportedDeck,
  ImportedMedia,
  ImportedNote,
  ImportWarning,
  StudyImport,
} from '../study-import.js';
import {
  openAnkiCollection,
  type AnkiCollection,
  type AnkiDeck,
  type AnkiDeckConfig,
} from './anki-collection.js';
import { ankiCardHistory, type AnkiCardRow, type AnkiRevlogRow } from './anki-history.js';
import { convertAnkiNote, type NoteProblem } from './anki-notes.js';
import type { MediaReference } from './field-markup.js';
import { invalidPackage, PackageArchive } from './package-archive.js';
import { readMediaList } from './package-media.js';
import { ProtoMessage } from './protobuf-fields.js';
import { zstdDecompressAll } from './zstd-stream.js';

/** Collections this large are far beyond any deck; refuse rather than exhaust memory. */
export const MAX_COLLECTION_BYTES = 1024 * 1024 * 1024;

export interface AnkiReadOptions {
  /** Reviews dated after this are left out (a wrong clock on the device that made them). */
  now?: number;
  /** What a field should say for a media file (by default its name in the package). */
  mediaReference?: MediaReference;
  onProgress?: (fraction: number, message: string) => void;
  signal?: AbortSignal;
}

export interface AnkiPackage {
  format: string;
  /** Every media file, already size-checked; read them before `close()`. */
  media: ImportedMedia[];
  /** Decks and notes; fields refer to media through `options.mediaReference`. */
  read(options?: AnkiReadOptions): StudyImport;
  close(): void;
}

const FORMATS = {
  1: { file: 'collection.anki2', name: 'anki2', zstd: false },
  2: { file: 'collection.anki21', name: 'anki21', zstd: false },
  3: { file: 'collection.anki21b', name: 'anki21b', zstd: true },
} as const;

export async function openAnkiPackage(path: string): Promise<AnkiPackage> {
  const archive = await PackageArchive.open(path);
  try {
    const format = FORMATS[await packageVersion(archive)];
    if (!archive.has(format.file)) {
      throw invalidPackage(
        'This zip file has no Anki collection in it (collection.anki2, .anki21 or .anki21b), so there is nothing to import. Export the deck from Anki as an "Anki Deck Package".',
      );
    }
    const stored = await archive.read(format.file, MAX_COLLECTION_BYTES, 'the collection');
    const bytes = format.zstd
      ? await zstdDecompressAll(stored, MAX_COLLECTION_BYTES, 'The collection')
      : stored;
    const { media, missing } = await readMediaList(archive, format.zstd);
    const collection = openAnkiCollection(bytes);
    return {
      format: format.name,
      media,
      read: (options = {}) => {
        const contents = convertCollection(collection, format.name, options);
        if (missing.length > 0) contents.warnings.push(missingMediaWarning(missing));
        return contents;
      },
      close: () => {
        collection.db.close();
        archive.close();
      },
    };
  } catch (error) {
    archive.close();
    throw error;
  }
}

function missingMediaWarning(missing: string[]): ImportWarning {
  const one = missing.length === 1;
  return {
    kind: 'missing-media',
    message: `${plural(missing.length, 'media file')} listed in the package ${one ? 'is' : 'are'} not in it (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); cards that show ${one ? 'it' : 'them'} will miss an image or sound.`,
  };
}

/** The package version from `meta` (protobuf field 1), or the legacy files present. */
async function packageVersion(archive: PackageArchive): Promise<1 | 2 | 3> {
  if (!archive.has('meta')) return archive.has('collection.anki21') ? 2 : 1;
  let version: number | undefined;
  try {
    version = new ProtoMessage(await archive.read('meta', 4096, 'the package description')).uint(1);
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  if (version === 1 || version === 2 || version === 3) return version;
  throw invalidPackage(
    'This package was made by a newer version of Anki than this app can read. In Anki, export again with "Support older Anki versions" ticked.',
  );
}

function convertCollection(
  collection: AnkiCollection,
  format: string,
  options: AnkiReadOptions,
): StudyImport {
  const { db } = collection;
  const now = options.now ?? Date.now();
  const mediaReference = options.mediaReference ?? ((name: string) => name);
  const problems = new ProblemTally();

  const revlogByCard = new Map<number, AnkiRevlogRow[]>();
  for (const row of db
    .prepare<[], AnkiRevlogRow & { cid: number }>(
      'SELECT id, cid, ease, ivl, factor, time, type FROM revlog ORDER BY id',
    )
    .iterate()) {
    const rows = revlogByCard.get(row.cid) ?? [];
    rows.push(row);
    revlogByCard.set(row.cid, rows);
  }
  const cardsByNote = new Map<number, AnkiCardRow[]>();
  for (const row of db
    .prepare<[], AnkiCardRow>(
      'SELECT id, nid, did, ord, type, queue, due, ivl, factor, odue, odid, data FROM cards ORDER BY nid, ord',
    )
    .iterate()) {
    const cards = cardsByNote.get(row.nid) ?? [];
    cards.push(row);
    cardsByNote.set(row.nid, cards);
  }

  const noteCount = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM notes').get()!.count;
  const notes: ImportedNote[] = [];
  const usedDecks = new Map<number, AnkiDeck>();
  let done = 0;
  let futureRows = 0;
  for (const row of db
    .prepare<[], { id: number; guid: string; mid: number; tags: string; flds: string }>(
      'SELECT id, guid, mid, tags, flds FROM notes ORDER BY id',
    )
    .iterate()) {
    if (++done % 500 === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.(done / noteCount, `Reading notes (${done} of ${noteCount})`);
    }
    const cards = cardsByNote.get(row.id) ?? [];
    const noteType = collection.noteTypes.get(row.mid);
    if (!noteType) {
      problems.add({ kind: 'unsupported-note-type', noteType: `#${row.mid} (missing from the collection)` });
      continue;
    }
    const conversion = convertAnkiNote(
      noteType,
      row.flds.split('\x1f'),
      cards.map((card) => card.ord),
      mediaReference,
    );
    conversion.problems.forEach((problem) => problems.add(problem));
    for (const converted of conversion.notes) {
      notes.push({
        sourceId: `${row.id}${converted.part}`,
        guid: `${row.guid}${converted.part}`,
        content: converted.content,
        tags: row.tags.split(/\s+/).filter(Boolean),
        createdAt: row.id,
        cards: converted.cards.map((card, index) => {
          const ankiCard = cards.find((candidate) => candidate.ord === converted.ankiOrdinals[index])!;
          const history = ankiCardHistory(
            ankiCard,
            revlogByCard.get(ankiCard.id) ?? [],
            collection.createdAt,
            now,
          );
          futureRows += history.futureRows;
          const deck = deckOf(ankiCard, collection.decks);
          usedDecks.set(deck.id, deck);
          return {
            sourceId: String(ankiCard.id),
            ordinal: card.ordinal,
            deckSourceId: String(deck.id),
            suspended: ankiCard.queue === -1,
            log: history.log,
          };
        }),
      });
    }
  }
  options.onProgress?.(1, 'Read every note');

  const warnings = problems.warnings();
  if (futureRows > 0) {
    warnings.push({
      kind: 'future-reviews',
      message: `${plural(futureRows, 'review')} in this package ${futureRows === 1 ? 'is' : 'are'} dated in the future, so the device that made ${futureRows === 1 ? 'it' : 'them'} had a wrong clock; ${futureRows === 1 ? 'it was' : 'they were'} left out of the cards' history.`,
    });
  }
  const decks: ImportedDeck[] = [...usedDecks.values()].map((deck) => {
    return {
      sourceId: String(deck.id),
      path: deck.name.split('::').filter(Boolean),
      description: deck.description,
      options: deck.configId === null ? {} : schedulingOptionsOf(collection.deckConfigs.get(deck.configId)),
    };
  });
  return { format, decks, notes, warnings };
}

const DEFAULT_DECK: AnkiDeck = { id: 1, name: 'Default', description: '', configId: 1 };

/** The card's own deck: the original one when it sits in a filtered deck; Default when unknown. */
function deckOf(card: AnkiCardRow, decks: Map<number, AnkiDeck>): AnkiDeck {
  const deck = decks.get(card.odid !== 0 ? card.odid : card.did);
  return deck && deck.configId !== null ? deck : (decks.get(DEFAULT_DECK.id) ?? DEFAULT_DECK);
}

function schedulingOptionsOf(config: AnkiDeckConfig | undefined): Partial<SchedulingOptions> {
  if (!config) return {};
  const options: Partial<SchedulingOptions> = {};
  const steps = (minutes: number[] | undefined) =>
    minutes?.length ? minutes.map((value) => `${Math.round(value * 100) / 100}m` as const) : undefined;
  const learningSteps = steps(config.learnStepsMinutes);
  const relearningSteps = steps(config.relearnStepsMinutes);
  if (learningSteps) options.learningSteps = learningSteps;
  if (relearningSteps) options.relearningSteps = relearningSteps;
  if (config.newPerDay !== undefined) options.newCardsPerDay = config.newPerDay;
  if (config.reviewsPerDay !== undefined) options.reviewsPerDay = config.reviewsPerDay;
  if (config.maximumInterval) options.maximumIntervalDays = config.maximumInterval;
  if (config.desiredRetention && config.desiredRetention > 0.5 && config.desiredRetention < 1) {
    options.desiredRetention = Math.round(config.desiredRetention * 1000) / 1000;
  }
  // Schema 18 keeps these as 32-bit floats; Anki shows them to four decimals.
  if (config.fsrsWeights?.length === 21)
    options.weights = config.fsrsWeights.map((weight) => Math.round(weight * 1e4) / 1e4);
  if (config.easyDays?.length === 7) options.easyDays = config.easyDays;
  return options;
}

/** Counts skipped notes and cards by kind and words them once, with an example. */
class ProblemTally {
  private readonly unbalanced: string[] = [];
  private emptyCards = 0;
  private readonly unsupported = new Map<string, number>();

  add(problem: NoteProblem): void {
    if (problem.kind === 'unbalanced-cloze') this.unbalanced.push(problem.message);
    else if (problem.kind === 'empty-card') this.emptyCards += 1;
    else this.unsupported.set(problem.noteType, (this.unsupported.get(problem.noteType) ?? 0) + 1);
  }

  warnings(): ImportWarning[] {
    const warnings: ImportWarning[] = [];
    if (this.unbalanced.length > 0) {
      warnings.push({
        kind: 'unbalanced-cloze',
        message: `${plural(this.unbalanced.length, 'cloze note')} ${this.unbalanced.length === 1 ? 'was' : 'were'} not imported because a deletion is never closed. ${this.unbalanced[0]}`,
      });
    }
    if (this.emptyCards > 0) {
      warnings.push({
        kind: 'empty-card',
        message: `${plural(this.emptyCards, 'card')} with nothing to ask ${this.emptyCards === 1 ? 'was' : 'were'} left out (empty fields, or a cloze number the text no longer has).`,
      });
    }
    for (const [noteType, count] of this.unsupported) {
      warnings.push({
        kind: 'unsupported-note-type',
        message: `${plural(count, 'note')} of the type "${noteType}" ${count === 1 ? 'was' : 'were'} not imported: this app cannot show that kind of note yet.`,
      });
    }
    return warnings;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The import was cancelled; nothing was imported.');
}
