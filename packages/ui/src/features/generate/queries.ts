import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CardProposal, GenerateFrom, GeneratedKind, QuizResponse } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { generateKeys } from './query-keys';

/** Generated quizzes and card sets, newest first (`classId` undefined: all). */
export function useGeneratedSets(classId?: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: generateKeys.sets(classId),
    queryFn: () => engine.call('generate.sets', classId === undefined ? {} : { classId }),
  });
}

export function useGeneratedSet(id: string) {
  const engine = useEngine();
  return useQuery({ queryKey: generateKeys.set(id), queryFn: () => engine.call('generate.set', { id }) });
}

export function useQuizAttempts(classId?: string | null) {
  const engine = useEngine();
  return useQuery({
    queryKey: generateKeys.attempts(classId),
    queryFn: () => engine.call('quizzes.attempts', classId === undefined ? {} : { classId }),
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: generateKeys.all });
}

/** Starts a generation job; the form shows INVALID_INPUT (no text, bad pages) itself. */
export function useStartGeneration() {
  const engine = useEngine();
  return useMutation({
    mutationFn: (input: { kind: GeneratedKind; from: GenerateFrom; count: number }) =>
      engine.call('generate.start', input),
    meta: { handlesErrors: ['INVALID_INPUT', 'NOT_FOUND'] },
  });
}

export function useKeepItem() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => engine.call('generate.keep', { id }),
    onSettled: refresh,
  });
}

export function useRegenerateItem() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => engine.call('generate.regenerate', { id }),
    onSettled: refresh,
  });
}

export function useDeleteSet() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => engine.call('generate.deleteSet', { id }),
    onSettled: refresh,
  });
}

/** Adds cards to the class's deck; an edited cloze with broken syntax comes back as INVALID_INPUT, shown by the review. */
export function useAcceptCards() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: { setId: string; cards: { id: string; content?: CardProposal }[] }) =>
      engine.call('generate.acceptCards', input),
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}

export function useDismissCards() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (ids: string[]) => engine.call('generate.dismissCards', { ids }),
    onSettled: refresh,
  });
}

export function useGradeQuiz() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: { setId: string; answers: { itemId: string; response: QuizResponse }[] }) =>
      engine.call('quizzes.grade', input),
    onSettled: refresh,
  });
}

export function useOverrule() {
  const engine = useEngine();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: { attemptId: string; itemId: string; correct: boolean }) =>
      engine.call('quizzes.overrule', input),
    onSettled: refresh,
  });
}

export function useQuestionToCard() {
  const engine = useEngine();
  return useMutation({
    mutationFn: (itemId: string) => engine.call('quizzes.toFlashcard', { itemId }),
  });
}
