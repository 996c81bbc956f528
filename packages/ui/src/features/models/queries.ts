import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModelEntry } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { modelKeys } from './query-keys';

/** The catalog joined with what is installed; refetched when models change or a download ends. */
export function useModels() {
  const engine = useEngine();
  return useQuery({ queryKey: modelKeys.all, queryFn: () => engine.call('models.list') });
}

export function useDownloadModel() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('models.download', { id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelKeys.all }),
  });
}

/** Replaces one model in the cached list with the engine's new view of it. */
function storeModel(queryClient: ReturnType<typeof useQueryClient>, entry: ModelEntry) {
  queryClient.setQueryData<ModelEntry[]>(modelKeys.all, (entries) =>
    entries?.map((other) => (other.id === entry.id ? entry : other)),
  );
}

export function useInstallModelFromFile() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, path }: { id: string; path: string }) =>
      engine.call('models.installFromFile', { id, path }),
    // The form shows why a file was refused, beside the path field.
    meta: { handlesErrors: ['INVALID_INPUT'] },
    onSuccess: (entry: ModelEntry) => storeModel(queryClient, entry),
  });
}

export function useDeleteModel() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => engine.call('models.delete', { id }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: modelKeys.all }),
  });
}
