/**
 * Writes decks to an `.apkg` in Anki's legacy format (collection.anki2, schema 11, media list in
 * JSON), which every Anki version imports: notes with fields joined by 0x1f, sort field and
 * checksum, cards with their current schedule (and FSRS memory in `data`), and the review log.
 * The file is written under a temporary name and renamed when complete.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { toHtml } from 'hast-util-to-html';
import yazl from 'yazl';
import type { CardMemory } from '../scheduling/fsrs-scheduler.js';
import { DEFAULT_SCHEDULING_OPTIONS, type SchedulingOptions } from '../scheduling/scheduling-options.js';
import { startOfStudyDay, studyDayOf } from '../scheduling/study-day.js';
import type { ExportedCard, StudyExport } from '../study-export.js';
import type { NoteContent } from '../cards/note-content.js';
import { markdownToAnkiHtml, type MediaReference } from './field-markup.js';
import { occlusionClozeText } from './image-occlusion.js';
import {
  collectionConfJson,
  deckConfigJson,
  deckJson,
  FIELD_SEPARATOR,
  fieldChecksum,
  newAnkiGuid,
  noteTypeJson,
  NOTE_TYPES,
  SCHEMA11_SQL,
  stripHtmlKeepingMediaNames,
  type DeckConfigSpec,
} from './legacy-schema.js';

export interface AnkiWriteOptions {
  now?: number;
  /** Maps an image or link target in a field to the media file name in the package. */
  mediaReference?: MediaReference;
  onProgress?: (fraction: number, message: string) => void;
}

export interface AnkiWriteSummary {
  notes: number;
  cards: number;
  reviews: number;
  media: number;
}

const DEFAULT_DECK_ID = 1;
const DEFAULT_CONFIG_ID = 1;
/** Anki's ids are millisecond timestamps; ours count up from here so they never clash. */
const ID_BASE = 1_700_000_000_000;

export async function writeAnkiPackage(
  path: string,
  data: StudyExport,
  options: AnkiWriteOptions = {},
): Promise<AnkiWriteSummary> {
  const now = options.now ?? Date.now();
  options.onProgress?.(0, 'Writing the collection');
  const { collection, summary } = buildCollection(data, now, options.mediaReference ?? ((name) => name));
  const zip = new yazl.ZipFile();
  zip.addBuffer(collection, 'collection.anki2');
  zip.addBuffer(
    Buffer.from(
      JSON.stringify(Object.fromEntries(data.media.map((file, index) => [String(index), file.name]))),
    ),
    'media',
  );
  for (const [index, file] of data.media.entries()) {
    const source = Readable.from(file.read());
    // yazl does not pass a source's failure on; end the package with it instead of waiting forever.
    source.once('error', (error) => (zip.outputStream as Readable).destroy(error));
    zip.addReadStream(source, String(index));
  }
  zip.end();
  const partial = `${path}.part`;
  try {
    await pipeline(zip.outputStream, createWriteStream(partial));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  options.onProgress?.(1, 'Package written');
  return { ...summary, media: data.media.length };
}

function buildCollection(data: StudyExport, now: number, mediaReference: MediaReference) {
  const db = new Database(':memory:');
  try {
    db.exec(SCHEMA11_SQL);
    const modified = Math.floor(now / 1000);
    // Review due days count from the collection's creation: start it on the earliest day we know.
    const earliest = Math.min(now, ...data.notes.map((note) => note.createdAt));
    const created = startOfStudyDay(studyDayOf(earliest));
    const createdSecs = Math.floor(created / 1000);

    const deckIds = new Map<string, number>();
    const decks: Record<string, unknown> = {
      [DEFAULT_DECK_ID]: deckJson(DEFAULT_DECK_ID, 'Default', '', DEFAULT_CONFIG_ID, modified),
    };
    const configs: Record<string, unknown> = {
      [DEFAULT_CONFIG_ID]: deckConfigJson(
        DEFAULT_CONFIG_ID,
        configSpec('Default', DEFAULT_SCHEDULING_OPTIONS),
        modified,
      ),
    };
    const idsByName = new Map<string, number>([['Default', DEFAULT_DECK_ID]]);
    let nextDeckId = ID_BASE;
    for (const deck of data.decks) {
      // Every parent of a nested deck exists too ("A::B" needs "A").
      let configId = DEFAULT_CONFIG_ID;
      deck.path.forEach((_, depth) => {
        const name = deck.path.slice(0, depth + 1).join('::');
        if (idsByName.has(name)) return;
        const id = ++nextDeckId;
        idsByName.set(name, id);
        if (depth === deck.path.length - 1) {
          configId = id;
          configs[id] = deckConfigJson(id, configSpec(name, deck.options), modified);
        }
        decks[id] = deckJson(
          id,
          name,
          depth === deck.path.length - 1 ? deck.description : '',
          configId,
          modified,
        );
      });
      deckIds.set(deck.id, idsByName.get(deck.path.join('::'))!);
    }
    const firstDeck = deckIds.values().next().value ?? DEFAULT_DECK_ID;
    // Only the note types the notes use, so Anki adds nothing the student did not export.
    const usedTypes = [...new Set(data.notes.map((note) => NOTE_TYPES[note.content.kind]))];
    if (usedTypes.length === 0) usedTypes.push(NOTE_TYPES.basic);
    const models = Object.fromEntries(
      usedTypes.map((spec) => [spec.id, noteTypeJson(spec, modified, firstDeck)]),
    );
    db.prepare('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)').run(
      createdSecs,
      now,
      now,
      JSON.stringify(collectionConfJson(firstDeck, usedTypes[0]!.id)),
      JSON.stringify(models),
      JSON.stringify(decks),
      JSON.stringify(configs),
      '{}',
    );

    const insertNote = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, ?)');
    const insertCard = db.prepare(
      'INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)',
    );
    const insertReview = db.prepare('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)');
    const optionsByDeck = new Map(data.decks.map((deck) => [deck.id, deck.options]));
    const noteIds = new UniqueIds();
    const cardIds = new UniqueIds();
    const reviewIds = new UniqueIds();
    const summary = { notes: 0, cards: 0, reviews: 0 };
    let newPosition = 0;
    db.transaction(() => {
      for (const note of data.notes) {
        const fields = ankiFields(note.content, mediaReference);
        const noteId = noteIds.take(note.createdAt);
        insertNote.run(
          noteId,
          note.guid ?? newAnkiGuid(),
          NOTE_TYPES[note.content.kind].id,
          Math.floor(note.updatedAt / 1000),
          note.tags.length > 0 ? ` ${note.tags.join(' ')} ` : '',
          fields.join(FIELD_SEPARATOR),
          stripHtmlKeepingMediaNames(fields[0]!),
          fieldChecksum(fields[0]!),
          '',
        );
        summary.notes += 1;
        for (const card of note.cards) {
          const cardId = cardIds.take(note.createdAt);
          const deckOptions = optionsByDeck.get(card.deckId) ?? DEFAULT_SCHEDULING_OPTIONS;
          const schedule = cardSchedule(card, createdSecs, newPosition, deckOptions);
          if (card.memory.state === 'new') newPosition += 1;
          insertCard.run(
            cardId,
            noteId,
            deckIds.get(card.deckId) ?? DEFAULT_DECK_ID,
            card.ordinal,
            Math.floor(note.updatedAt / 1000),
            schedule.type,
            card.suspended ? -1 : schedule.queue,
            schedule.due,
            schedule.ivl,
            schedule.factor,
            card.memory.reps,
            card.memory.lapses,
            schedule.left,
            schedule.data,
          );
          summary.cards += 1;
          summary.reviews += writeReviews(card, cardId, reviewIds, insertReview);
        }
      }
    })();
    return { collection: db.serialize(), summary };
  } finally {
    db.close();
  }
}

/** A note's fields as Anki's note type for its kind has them, in HTML. */
export function ankiFields(content: NoteContent, mediaReference: MediaReference): string[] {
  const html = (markdown: string) => markdownToAnkiHtml(markdown, mediaReference);
  switch (content.kind) {
    case 'cloze':
      return [html(content.text), html(content.extra)];
    case 'image-occlusion':
      return [
        occlusionClozeText(content.masks),
        toHtml({
          type: 'element',
          tagName: 'img',
          properties: { src: mediaReference(content.image) },
          children: [],
        }),
        html(content.header),
        html(content.back),
        '',
      ];
    default:
      return [html(content.front), html(content.back)];
  }
}

function configSpec(name: string, options: SchedulingOptions): DeckConfigSpec {
  const minutes = (steps: readonly string[]) =>
    steps.map((step) => {
      const value = Number.parseFloat(step);
      return step.endsWith('d') ? value * 1440 : step.endsWith('h') ? value * 60 : value;
    });
  return {
    name,
    learnStepsMinutes: minutes(options.learningSteps),
    relearnStepsMinutes: minutes(options.relearningSteps),
    newPerDay: options.newCardsPerDay,
    reviewsPerDay: options.reviewsPerDay,
    maximumInterval: options.maximumIntervalDays,
    desiredRetention: options.desiredRetention,
    fsrsWeights: options.weights,
    easyDays: options.easyDays,
  };
}

/** The card's state in Anki's columns: type and queue, due as position, epoch seconds or day number. */
function cardSchedule(
  card: ExportedCard,
  createdSecs: number,
  newPosition: number,
  options: SchedulingOptions,
) {
  const memory: CardMemory = card.memory;
  if (memory.state === 'new')
    return { type: 0, queue: 0, due: newPosition, ivl: 0, factor: 0, left: 0, data: '' };
  const data = JSON.stringify({
    s: round(memory.stability, 4),
    d: round(memory.difficulty, 4),
    dr: options.desiredRetention,
    decay: options.weights[20],
    ...(memory.lastReviewAt !== null ? { lrt: Math.floor(memory.lastReviewAt / 1000) } : {}),
  });
  if (memory.state === 'review') {
    const dueDay = Math.floor((memory.due / 1000 - createdSecs) / 86_400);
    return {
      type: 2,
      queue: 2,
      due: dueDay,
      ivl: Math.max(1, memory.scheduledDays),
      factor: 2500,
      left: 0,
      data,
    };
  }
  const steps = memory.state === 'learning' ? options.learningSteps : options.relearningSteps;
  const remaining = Math.max(1, steps.length - memory.learningStep);
  return {
    type: memory.state === 'learning' ? 1 : 3,
    queue: 1,
    due: Math.floor(memory.due / 1000),
    ivl: memory.state === 'learning' ? 0 : Math.max(1, Math.round(memory.stability)),
    factor: memory.state === 'learning' ? 0 : 2500,
    // Anki's "left": steps left today * 1000 + steps left in total.
    left: remaining * 1000 + remaining,
    data,
  };
}

const REVLOG_TYPE = { new: 0, learning: 0, review: 1, relearning: 2 } as const;

function writeReviews(
  card: ExportedCard,
  cardId: number,
  ids: UniqueIds,
  insert: Database.Statement,
): number {
  let written = 0;
  let lastInterval = 0;
  for (const row of [...card.log].sort((a, b) => a.at - b.at)) {
    if (row.kind === 'reset') {
      // Anki marks "Reset" as a manual entry with no ease and no factor.
      insert.run(ids.take(row.at), cardId, 0, 0, lastInterval, 0, 0, 4);
      lastInterval = 0;
    } else if (row.kind === 'answer') {
      // Intervals in days, or negative seconds for learning steps.
      const interval =
        row.scheduledDays > 0 ? row.scheduledDays : -Math.max(1, Math.round((row.due - row.at) / 1000));
      insert.run(
        ids.take(row.at),
        cardId,
        row.rating,
        interval,
        lastInterval,
        0,
        Math.min(row.durationMs, 2 ** 31 - 1),
        REVLOG_TYPE[row.stateBefore],
      );
      lastInterval = interval;
    } else continue;
    written += 1;
  }
  return written;
}

/** Anki ids are millisecond timestamps that must not repeat: the next free one at or after a time. */
class UniqueIds {
  private readonly used = new Set<number>();

  take(at: number): number {
    let id = Math.max(1, Math.floor(at));
    while (this.used.has(id)) id += 1;
    this.used.add(id);
    return id;
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
