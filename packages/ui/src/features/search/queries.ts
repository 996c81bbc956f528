import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { MaterialType } from '@little-monster/core/contract';
import { useEngine } from '../../app/engine-context';
import { searchKeys } from './query-keys';

export interface SearchParams {
  query: string;
  classId?: string;
  types?: MaterialType[];
  /** yyyy-mm-dd, inclusive */
  importedFrom?: string;
  importedTo?: string;
  limit?: number;
}

/**
 * Hits for a (debounced) query. The previous hits stay on screen while the next ones load; an
 * answer for a query the student has already typed past is never shown (each query has its own key).
 */
export function useSearch(params: SearchParams) {
  const engine = useEngine();
  const query = params.query.trim();
  return useQuery({
    queryKey: searchKeys.query({ ...params, query }),
    queryFn: () => engine.call('search.query', { ...params, query }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
