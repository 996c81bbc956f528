import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClassInput, ClassPatch, StudyClass } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { classKeys } from './query-keys';

export function useClasses(includeArchived: boolean) {
  const engine = useEngine();
  return useQuery({
    queryKey: classKeys.list(includeArchived),
    queryFn: () => engine.call('classes.list', { includeArchived }),
  });
}

/** Every write refreshes the lists, also after a failure (NOT_FOUND means the list was stale). */
function useRefreshClasses() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: classKeys.all });
}

/** Create or edit from the form; the form shows INVALID_INPUT next to the fields itself. */
export function useSaveClass() {
  const engine = useEngine();
  const refresh = useRefreshClasses();
  return useMutation({
    mutationFn: (save: { id: string; patch: ClassPatch } | { input: ClassInput }): Promise<StudyClass> =>
      'input' in save ? engine.call('classes.create', save.input) : engine.call('classes.update', save),
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}

export function useSetArchived() {
  const engine = useEngine();
  const refresh = useRefreshClasses();
  return useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      engine.call('classes.update', { id, patch: { archived } }),
    onSettled: refresh,
  });
}

export function useDeleteClass() {
  const engine = useEngine();
  const refresh = useRefreshClasses();
  return useMutation({
    mutationFn: (id: string) => engine.call('classes.delete', { id }),
    onSettled: refresh,
  });
}

/** Moves classes at once in every cached list, then asks the engine; a failure puts them back. */
export function useReorderClasses() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => engine.call('classes.reorder', { ids }),
    async onMutate(ids) {
      await queryClient.cancelQueries({ queryKey: classKeys.all });
      const before = queryClient.getQueriesData<StudyClass[]>({ queryKey: classKeys.all });
      const rank = new Map(ids.map((id, index) => [id, index]));
      for (const [key, list] of before) {
        if (!list) continue;
        const moved = [...list].sort(
          (a, b) =>
            Number(a.archived) - Number(b.archived) ||
            (rank.get(a.id) ?? ids.length) - (rank.get(b.id) ?? ids.length) ||
            a.sortOrder - b.sortOrder,
        );
        queryClient.setQueryData(key, moved);
      }
      return { before };
    },
    onError(_error, _ids, context) {
      for (const [key, list] of context?.before ?? []) queryClient.setQueryData(key, list);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: classKeys.all }),
  });
}
