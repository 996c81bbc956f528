import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportSource, NoteContent } from '../../contract/index.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { DomainQueries } from '../../kit/queries.js';
import { BlobStore } from '../../storage/blob-store.js';
import { exportAnkiPackage, importAnkiPackage } from './anki-transfer.js';
import { ExamForecasts } from './exam-forecast.js';
import { StudySession } from './study-session.js';
import { ordinalsOrRefuse, StudyRepository } from './study-repository.js';

/** The deck a note goes to when its class has none yet (and for notes in no class). */
const UNFILED_DECK = 'My cards';

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
  const blobs = new BlobStore(join(kit.paths.data, 'blobs'));
  const changed = (deckIds: string[]) => kit.bus.emit('study.changed', { deckIds: [...new Set(deckIds)] });
  const pathOf = (source: ImportSource) =>
    source.kind === 'path' ? source.path : join(kit.paths.uploads, source.uploadId);

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
      'study.notes.list': ({ deckId }) => {
        repo.deck(deckId);
        return repo.notes(deckId);
      },
      'study.notes.create': ({ deckId, classId, content, tags }) => {
        const ordinals = ordinalsOrRefuse(content);
        if (deckId) repo.deck(deckId);
        const deckName = classId === null ? UNFILED_DECK : kit.queries.classes.get(classId).name;
        const duplicateOf = repo.duplicateOf(content, '');
        const id = repo.transaction((tx) => {
          const deck = deckId ?? repo.deckForClass(tx, classId, deckName);
          return repo.insertNote(
            tx,
            { deckId: deck, content, tags, guid: null, createdAt: Date.now() },
            ordinals.map((ordinal) => ({ ordinal })),
          );
        });
        const note = repo.note(id);
        changed([note.deckId]);
        return { note, duplicateOf };
      },
      'study.notes.update': ({ id, content, tags }) => {
        changed(repo.updateNote(id, content, tags, ordinalsOrRefuse(content)));
        return repo.note(id);
      },
      'study.notes.delete': ({ id }) => {
        changed(repo.deleteNote(id));
        return { id };
      },
      'study.next': (scope) => session.next(scope, Date.now()),
      'study.answer': ({ cardId, rating, durationMs }) => {
        const { deckId, ...answered } = session.answer(cardId, rating, durationMs, Date.now());
        changed([deckId]);
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
          const { deckIds, ...summary } = await importAnkiPackage(repo, blobs, pathOf(source), classId);
          changed(deckIds);
          return summary;
        } finally {
          // An upload is only a way in: imported or refused, its copy goes.
          if (source.kind === 'upload') await rm(pathOf(source), { force: true });
        }
      },
      'study.export': ({ deckId, path }) => exportAnkiPackage(repo, blobs, deckId, path),
    },
    subscriptions: {
      'class.deleted': ({ id }) => repo.unfileClass(id),
    },
  };
}
