import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type CardTarget, type ImportSource, type NoteContent } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { BlobStore } from '../../storage/blob-store.js';
import { exportAnkiPackage, importAnkiPackage } from './anki-transfer.js';
import { CardSearch } from './card-search.js';
import { ExamForecasts } from './exam-forecast.js';
import { StudySession } from './study-session.js';
import { studyStats } from './study-stats.js';
import { OPTIMISE_JOB, optimiserJob } from './study-optimiser.js';
import { MIN_REVIEWS_TO_OPTIMISE } from './scheduling/optimizer.js';
import { ordinalsOrRefuse, StudyRepository } from './study-repository.js';
import { studyDayOf } from './scheduling/study-day.js';

/** The deck a note goes to when its class has none yet (and for notes in no class). */
const UNFILED_DECK = 'My cards';

/** A deck name as a file name: what the operating systems refuse becomes "-". */
const fileNameOf = (deckName: string) =>
  `${
    deckName
      .replace(/::/g, ' - ')
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
      .trim() || 'deck'
  }.apkg`;

/**
 * Flashcards: decks per class, notes that make cards, review sessions scheduled by FSRS from an
 * append-only review log, and Anki packages in and out.
 */
export function createStudy(
  kit: DomainKit,
): DomainModule<ProceduresOf<'study'>> & { queries: DomainQueries['study'] } {
  const repo = new StudyRepository(kit.store);
  const exams = new ExamForecasts(repo, (classId) =>
    kit.queries.classes.exists(classId) ? kit.queries.classes.get(classId) : null,
  );
  const session = new StudySession(repo, (deckId, now) => exams.target(deckId, now));
  const search = new CardSearch(
    kit.search.register('card'),
    async () => (await kit.engines.tokenizer()).countTokens,
  );
  const blobs = new BlobStore(join(kit.paths.data, 'blobs'));
  // Packages made for a download; only on their way out, so they live in the cache.
  const exportsDir = join(kit.paths.cache, 'deck-exports');
  /** Tells the UI; `answered` changes were kept in the session's load balancer already. */
  const changed = (deckIds: string[], answered = false) => {
    if (!answered) session.forgetLoad(deckIds);
    kit.bus.emit('study.changed', { deckIds: [...new Set(deckIds)] });
  };
  const pathOf = (source: ImportSource) =>
    source.kind === 'path' ? source.path : join(kit.paths.uploads, source.uploadId);
  const classOfDeck = (deckId: string) => repo.deck(deckId).classId;

  /** The cards a bulk action names, or a refusal when it names none. */
  const cardsOf = (target: CardTarget) => {
    if (target.cardIds.length + target.noteIds.length === 0)
      throw new AppError('INVALID_INPUT', 'Choose at least one card.');
    return repo.cardsOf(target);
  };

  /** Adds notes to a class's deck (made on first use), in one transaction (the caller's, when inside one). */
  const addNotes = (classId: string | null, contents: NoteContent[], tags: string[]): string[] => {
    const ordinals = contents.map(ordinalsOrRefuse);
    const deckName = classId === null ? UNFILED_DECK : kit.queries.classes.get(classId).name;
    return repo.transaction((tx) => {
      const deck = repo.deckForClass(tx, classId, deckName);
      kit.store.afterCommit(() => changed([deck]));
      return contents.map((content, i) =>
        repo.insertNote(
          tx,
          { deckId: deck, content, tags, guid: null, createdAt: Date.now() },
          ordinals[i]!.map((ordinal) => ({ ordinal })),
        ),
      );
    });
  };

  return {
    queries: { addNotes },
    handlers: {
      'study.decks': (scope) => {
        const now = Date.now();
        return repo.decks(scope).map((deck) => repo.toDeck(deck, now));
      },
      'study.decks.update': ({ id, patch }) => {
        repo.setExamTarget(id, patch.examTargetRecall);
        changed([id]);
        return repo.toDeck(repo.deck(id), Date.now());
      },
      'study.examForecast': ({ deckId }) => exams.forecast(deckId, Date.now()),
      'study.stats': (scope) => studyStats(repo, scope, Date.now()),
      'study.optimiser': ({ deckId }) => ({
        reviews: repo.answerCount(deckId),
        needed: MIN_REVIEWS_TO_OPTIMISE,
        ownWeights: Array.isArray(repo.deck(deckId).options.weights),
      }),
      'study.optimise': ({ deckId }) => {
        const reviews = repo.answerCount(deckId);
        if (reviews < MIN_REVIEWS_TO_OPTIMISE)
          throw new AppError(
            'INVALID_INPUT',
            `Optimising needs at least ${MIN_REVIEWS_TO_OPTIMISE} reviews; this deck has ${reviews}. Keep reviewing and try again later.`,
          );
        return kit.jobs.enqueue(OPTIMISE_JOB, { deckId });
      },
      'study.notes.list': ({ deckId }) => {
        repo.deck(deckId);
        return repo.notes(deckId);
      },
      'study.notes.get': ({ id }) => repo.note(id),
      'study.notes.create': async ({ deckId, classId, content, tags }) => {
        const ordinals = ordinalsOrRefuse(content);
        if (deckId) repo.deck(deckId);
        const deckName = classId === null ? UNFILED_DECK : kit.queries.classes.get(classId).name;
        const duplicateOf = repo.duplicateOf(content, '');
        const index = await search.indexer();
        const id = repo.transaction((tx) => {
          const deck = deckId ?? repo.deckForClass(tx, classId, deckName);
          const createdAt = Date.now();
          const noteId = repo.insertNote(
            tx,
            { deckId: deck, content, tags, guid: null, createdAt },
            ordinals.map((ordinal) => ({ ordinal })),
          );
          index({ id: noteId, content, tags, classId: classOfDeck(deck), createdAt });
          return noteId;
        });
        const note = repo.note(id);
        changed([note.deckId]);
        return { note, duplicateOf };
      },
      'study.notes.update': async ({ id, content, tags }) => {
        const index = await search.indexer();
        const ordinals = ordinalsOrRefuse(content);
        const deckIds = repo.transaction(() => {
          const decks = repo.updateNote(id, content, tags, ordinals);
          const note = repo.noteRow(id);
          index({ id, content, tags, classId: classOfDeck(decks[0]!), createdAt: note.createdAt });
          return decks;
        });
        changed(deckIds);
        return repo.note(id);
      },
      'study.notes.delete': ({ id }) => {
        changed(
          repo.transaction((tx) => {
            const decks = repo.deleteNotes(tx, [id]);
            search.remove(id);
            return decks;
          }),
        );
        return { id };
      },
      'study.notes.deleteMany': ({ ids }) => {
        changed(
          repo.transaction((tx) => {
            const decks = repo.deleteNotes(tx, ids);
            for (const id of ids) search.remove(id);
            return decks;
          }),
        );
        return { ids };
      },
      'study.notes.move': ({ ids, deckId }) => {
        const classId = classOfDeck(deckId);
        const from = repo.cardsOf({ cardIds: [], noteIds: ids }).map((card) => card.deckId);
        repo.transaction((tx) => {
          repo.moveNotes(tx, ids, deckId);
          for (const id of new Set(ids)) search.moved(id, classId);
        });
        changed([...from, deckId]);
        return { notes: new Set(ids).size };
      },
      'study.cards.suspend': ({ target, suspended }) => {
        const cards = cardsOf(target);
        repo.transaction((tx) =>
          repo.setSuspended(
            tx,
            cards.map((card) => card.id),
            suspended,
          ),
        );
        changed(cards.map((card) => card.deckId));
        return { cards: cards.length };
      },
      'study.cards.bury': ({ target }) => {
        const cards = cardsOf(target);
        const tomorrow = studyDayOf(Date.now()) + 1;
        repo.transaction((tx) =>
          repo.bury(
            tx,
            cards.map((card) => card.id),
            tomorrow,
          ),
        );
        changed(cards.map((card) => card.deckId));
        return { cards: cards.length };
      },
      'study.cards.reset': ({ target }) => {
        const cards = cardsOf(target);
        session.reset(
          cards.map((card) => card.id),
          Date.now(),
        );
        changed(cards.map((card) => card.deckId));
        return { cards: cards.length };
      },
      'study.next': (scope) => session.next(scope, Date.now()),
      'study.answer': ({ cardId, rating, durationMs }) => {
        const { deckId, ...answered } = session.answer(cardId, rating, durationMs, Date.now());
        changed([deckId], true);
        return answered;
      },
      'study.undo': (scope) => {
        const { cardId, deckId } = session.undo(scope, Date.now());
        if (deckId) changed([deckId]);
        return { cardId };
      },
      'study.import': async ({ classId, source }) => {
        if (classId !== null) kit.queries.classes.get(classId);
        try {
          const index = await search.indexer();
          const { deckIds, ...summary } = await importAnkiPackage(
            repo,
            blobs,
            pathOf(source),
            classId,
            index,
          );
          changed(deckIds);
          return summary;
        } finally {
          // An upload is only a way in: imported or refused, its copy goes.
          if (source.kind === 'upload') await rm(pathOf(source), { force: true });
        }
      },
      'study.export': ({ deckId, path }) => exportAnkiPackage(repo, blobs, deckId, path),
    },
    jobs: [optimiserJob(repo, changed)],
    files: {
      deckPackage: async (deckId) => {
        const deck = repo.deck(deckId);
        await mkdir(exportsDir, { recursive: true });
        const path = join(exportsDir, `${randomUUID()}.apkg`);
        try {
          await exportAnkiPackage(repo, blobs, deckId, path);
        } catch (error) {
          await rm(path, { force: true });
          throw error;
        }
        return { path, name: fileNameOf(deck.name), remove: () => rm(path, { force: true }) };
      },
    },
    start: async () => {
      // A download the engine stopped under leaves its package behind: it goes at the next start.
      await rm(exportsDir, { recursive: true, force: true });
      await search.indexMissing(repo);
    },
    subscriptions: {
      'class.deleted': ({ id }) =>
        repo.transaction(() => {
          for (const noteId of repo.noteIdsInClass(id)) search.moved(noteId, null);
          repo.unfileClass(id);
        }),
    },
  };
}
