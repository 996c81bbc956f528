import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProcedureInput } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { readAloudKeys } from './query-keys';

/** The voices, the one in use and the reading speed; refetched when voices or settings change. */
export function useVoices() {
  const engine = useEngine();
  return useQuery({ queryKey: readAloudKeys.voices, queryFn: () => engine.call('readAloud.voices') });
}

export function useConfigureAzureSpeech() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (setup: ProcedureInput<'readAloud.configureAzure'>) =>
      engine.call('readAloud.configureAzure', setup),
    // The form shows why the settings were refused, beside its fields.
    meta: { handlesErrors: ['INVALID_INPUT'] },
    onSettled: () => queryClient.invalidateQueries({ queryKey: readAloudKeys.voices }),
  });
}

export function useRemoveAzureSpeech() {
  const engine = useEngine();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => engine.call('readAloud.removeAzure'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: readAloudKeys.voices }),
  });
}
