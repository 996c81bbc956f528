import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportOutcome, Material, MaterialType } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { searchKeys } from '../search/query-keys';
import { materialKeys } from './query-keys';

/** What the Library shows: a class id, 'unfiled' for materials in no class, or undefined for all. */
export interface MaterialFilter {
  classId?: string;
  type?: MaterialType;
  limit: number;
}

export function useMaterials(filter: MaterialFilter) {
  const engine = useEngine();
  return useQuery({
    queryKey: materialKeys.list(filter),
    queryFn: () => engine.call('materials.list', { ...filter, offset: 0 }),
    // Changing a filter keeps the old list on screen until the new one arrives (no flash of "Loading").
    placeholderData: keepPreviousData,
  });
}

export function useMaterial(id: string) {
  const engine = useEngine();
  return useQuery({ queryKey: materialKeys.one(id), queryFn: () => engine.call('materials.get', { id }) });
}

export function useMaterialPage(id: string, page: number, enabled = true) {
  const engine = useEngine();
  return useQuery({
    queryKey: materialKeys.page(id, page),
    queryFn: () => engine.call('materials.page', { id, page }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** The viewer's find across the material's pages; nothing is asked until there is something to find. */
export function useFindInMaterial(id: string, text: string) {
  const engine = useEngine();
  const wanted = text.trim();
  return useQuery({
    queryKey: materialKeys.find(id, wanted),
    queryFn: () => engine.call('materials.find', { id, text: wanted }),
    enabled: wanted.length > 0,
    placeholderData: keepPreviousData,
  });
}

/** Every write refreshes what shows materials, also after a failure (NOT_FOUND means a stale list). */
function useRefreshMaterials() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: materialKeys.all }),
      queryClient.invalidateQueries({ queryKey: searchKeys.all }),
    ]);
}

export function useRenameMaterial() {
  const engine = useEngine();
  const refresh = useRefreshMaterials();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }): Promise<Material> =>
      engine.call('materials.update', { id, patch: { title } }),
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}

/** Moves materials one call each (the engine updates one material per call). */
export function useMoveMaterials() {
  const engine = useEngine();
  const refresh = useRefreshMaterials();
  return useMutation({
    mutationFn: async ({ ids, classId }: { ids: string[]; classId: string | null }): Promise<Material[]> => {
      const moved: Material[] = [];
      for (const id of ids) moved.push(await engine.call('materials.update', { id, patch: { classId } }));
      return moved;
    },
    onSettled: refresh,
  });
}

export function useDeleteMaterials() {
  const engine = useEngine();
  const refresh = useRefreshMaterials();
  return useMutation({
    mutationFn: (ids: string[]) => engine.call('materials.delete', { ids }),
    onSettled: refresh,
  });
}

export function usePasteText() {
  const engine = useEngine();
  const refresh = useRefreshMaterials();
  return useMutation({
    mutationFn: (input: { classId: string | null; title: string; text: string }): Promise<ImportOutcome> =>
      engine.call('materials.pasteText', input),
    onSettled: refresh,
    meta: { handlesErrors: ['INVALID_INPUT'] },
  });
}
