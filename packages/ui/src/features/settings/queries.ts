import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SETTING_DEFAULTS, type ProcedureInput, type Settings } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { settingsKeys } from './query-keys';

export function useSettings() {
  const engine = useEngine();
  return useQuery({ queryKey: settingsKeys.settings, queryFn: () => engine.call('settings.get') });
}

/** The day the student's week starts on; the default until the settings have loaded. */
export function useWeekStart(): Settings['weekStartsOn'] {
  return useSettings().data?.weekStartsOn ?? SETTING_DEFAULTS.weekStartsOn;
}

export function useUpdateSettings() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProcedureInput<'settings.update'>) => engine.call('settings.update', patch),
    // Show the choice at once; put the saved settings back if the engine refuses.
    onMutate(patch) {
      const before = queryClient.getQueryData<Settings>(settingsKeys.settings);
      if (before) queryClient.setQueryData(settingsKeys.settings, { ...before, ...patch });
      return { before };
    },
    onError(_error, _patch, context) {
      if (context?.before) queryClient.setQueryData(settingsKeys.settings, context.before);
    },
    onSuccess: (settings: Settings) => queryClient.setQueryData(settingsKeys.settings, settings),
  });
}

export function useAppInfo() {
  const engine = useEngine();
  return useQuery({
    queryKey: settingsKeys.appInfo,
    queryFn: () => engine.call('app.info'),
    staleTime: 60_000,
  });
}

export function useBackups() {
  const engine = useEngine();
  return useQuery({ queryKey: settingsKeys.backups, queryFn: () => engine.call('backups.list') });
}

export function useCreateBackup() {
  const engine = useEngine();
  return useMutation({ mutationFn: () => engine.call('backups.create') });
}
