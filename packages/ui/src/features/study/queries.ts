import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CardTarget,
  ImportSource,
  NoteContent,
  Rating,
  StudyScope,
} from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { studyKeys } from './query-keys';

export function useDecks(scope: StudyScope) {
  const engine = useEngine();
  return useQuery({ queryKey: studyKeys.decks(scope), queryFn: () => engine.call('study.decks', scope) });
}

export function useNotes(deckId: string) {
  const engine = useEngine();
  return useQuery({
    queryKey: studyKeys.notes(deckId),
    queryFn: () => engine.call('study.notes.list', { deckId }),
  });
}

/** The card to study now; never served from an older answer (each answer changes it). */
export function useNextCard(scope: StudyScope) {
  const engine = useEngine();
  return useQuery({
    queryKey: studyKeys.next(scope),
    queryFn: () => engine.call('study.next', scope),
    staleTime: 0,
    gcTime: 0,
  });
}

export function useStudyStats(scope: StudyScope) {
  const engine = useEngine();
  return useQuery({ queryKey: studyKeys.stats(scope), queryFn: () => engine.call('study.stats', scope) });
}

export function useOptimiser(deckId: string) {
  const engine = useEngine();
  return useQuery({
    queryKey: studyKeys.optimiser(deckId),
    queryFn: () => engine.call('study.optimiser', { deckId }),
  });
}

/** Starts fitting the deck's memory model; resolves with the job, which events then keep current. */
export function useOptimise() {
  const engine = useEngine();
  return useMutation({
    mutationFn: (deckId: string) => engine.call('study.optimise', { deckId }),
    meta: { handlesErrors: ['INVALID_INPUT', 'NOT_FOUND'] },
  });
}

export function useExamForecast(deckId: string) {
  const engine = useEngine();
  return useQuery({
    queryKey: studyKeys.examForecast(deckId),
    queryFn: () => engine.call('study.examForecast', { deckId }),
  });
}

function useRefreshStudy() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: studyKeys.all });
}

export function useAnswer() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: (answer: { cardId: string; rating: Rating; durationMs: number }) =>
      engine.call('study.answer', answer),
    onSettled: refresh,
  });
}

export function useUndo() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: (scope: StudyScope) => engine.call('study.undo', scope),
    onSettled: refresh,
  });
}

export type NoteSave =
  | { id: string; content: NoteContent; tags: string[] }
  | { deckId?: string; classId: string | null; content: NoteContent; tags: string[] };

/** Adds or edits a note; the editor shows INVALID_INPUT (an open cloze, an empty question) itself. */
export function useSaveNote() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: async (save: NoteSave) =>
      'id' in save
        ? { note: await engine.call('study.notes.update', save), duplicateOf: null }
        : engine.call('study.notes.create', save),
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}

/** Uploads the package (browser mode) or names its path (desktop), then imports it into the class. */
export function useImportDeck() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  const { files, localFiles } = engine.transport;
  return useMutation({
    mutationFn: async ({ file, classId }: { file: File; classId: string | null }) => {
      const path = localFiles?.pathOf(file);
      let source: ImportSource;
      if (path) source = { kind: 'path', path };
      else if (files)
        source = { kind: 'upload', uploadId: (await files.upload(file)).uploadId, name: file.name };
      else throw new Error('This window cannot read files. Open the app again and retry.');
      return engine.call('study.import', { classId, source });
    },
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}

/** Sets the deck "ready for the exam" with the recall wanted on the day, or back to normal (null). */
export function useSetExamTarget() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: ({ id, examTargetRecall }: { id: string; examTargetRecall: number | null }) =>
      engine.call('study.decks.update', { id, patch: { examTargetRecall } }),
    onSettled: refresh,
  });
}

export function useNote(id: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: studyKeys.note(id ?? ''),
    queryFn: () => engine.call('study.notes.get', { id: id! }),
    enabled: id !== null,
  });
}

/** What a student does to cards besides answering: suspend, unsuspend, bury until tomorrow, reset. */
export type CardAction = 'suspend' | 'unsuspend' | 'bury' | 'reset';

export function useCardAction() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: ({ action, target }: { action: CardAction; target: Partial<CardTarget> }) => {
      const cards = { cardIds: target.cardIds ?? [], noteIds: target.noteIds ?? [] };
      if (action === 'bury') return engine.call('study.cards.bury', { target: cards });
      if (action === 'reset') return engine.call('study.cards.reset', { target: cards });
      return engine.call('study.cards.suspend', { target: cards, suspended: action === 'suspend' });
    },
    onSettled: refresh,
    // The list or the session shows why, beside what was asked.
    meta: { handlesErrors: ['NOT_FOUND', 'INVALID_INPUT'] },
  });
}

export function useMoveNotes() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: (move: { ids: string[]; deckId: string }) => engine.call('study.notes.move', move),
    onSettled: refresh,
    // The list or the session shows why, beside what was asked.
    meta: { handlesErrors: ['NOT_FOUND', 'INVALID_INPUT'] },
  });
}

export function useDeleteNotes() {
  const engine = useEngine();
  const refresh = useRefreshStudy();
  return useMutation({
    mutationFn: (ids: string[]) => engine.call('study.notes.deleteMany', { ids }),
    onSettled: refresh,
    // The list or the session shows why, beside what was asked.
    meta: { handlesErrors: ['NOT_FOUND', 'INVALID_INPUT'] },
  });
}

/**
 * Exports a deck as an Anki package: the desktop app asks where with the system's save dialog and
 * the engine writes it there; the browser mode downloads it from the engine host. Resolves with
 * where it went, or null when the student cancelled the dialog.
 */
export function useExportDeck() {
  const engine = useEngine();
  const { files, localFiles } = engine.transport;
  return useMutation({
    mutationFn: async ({ deck }: { deck: { id: string; name: string } }) => {
      const fileName = `${
        deck.name
          .replace(/::/g, ' - ')
          .replace(/[\\/:*?"<>|]+/g, '-')
          .trim() || 'deck'
      }.apkg`;
      if (localFiles?.chooseDeckExportFile) {
        const path = await localFiles.chooseDeckExportFile(fileName);
        if (!path) return null;
        return (await engine.call('study.export', { deckId: deck.id, path })).path;
      }
      if (files?.deckExportUrl) {
        const link = document.createElement('a');
        link.href = files.deckExportUrl(deck.id);
        link.download = fileName;
        link.rel = 'noopener';
        document.body.append(link);
        link.click();
        link.remove();
        return fileName;
      }
      throw new Error('This window cannot save files. Open the app again and retry.');
    },
    meta: { handlesErrors: ['NOT_FOUND', 'INVALID_INPUT'] },
  });
}
