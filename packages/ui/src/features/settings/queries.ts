import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProcedureInput, Settings } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { queryKeys } from '../../app/query-keys';

export function useSettings() {
  const engine = useEngine();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => engine.call('settings.get') });
}

export function useUpdateSettings() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProcedureInput<'settings.update'>) => engine.call('settings.update', patch),
    // Show the choice at once; put the saved settings back if the engine refuses.
    onMutate(patch) {
      const before = queryClient.getQueryData<Settings>(queryKeys.settings);
      if (before) queryClient.setQueryData(queryKeys.settings, { ...before, ...patch });
      return { before };
    },
    onError(_error, _patch, context) {
      if (context?.before) queryClient.setQueryData(queryKeys.settings, context.before);
    },
    onSuccess: (settings: Settings) => queryClient.setQueryData(queryKeys.settings, settings),
  });
}

export function useAppInfo() {
  const engine = useEngine();
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => engine.call('app.info'), staleTime: 60_000 });
}

/** Where local AI runs under `useGpu` (asked again when the setting changes). */
export function useGraphics(useGpu: Settings['useGpu']) {
  const engine = useEngine();
  return useQuery({ queryKey: queryKeys.graphics(useGpu), queryFn: () => engine.call('app.graphics') });
}

export function useBackups() {
  const engine = useEngine();
  return useQuery({ queryKey: queryKeys.backups, queryFn: () => engine.call('backups.list') });
}

export function useCreateBackup() {
  const engine = useEngine();
  return useMutation({ mutationFn: () => engine.call('backups.create') });
}
