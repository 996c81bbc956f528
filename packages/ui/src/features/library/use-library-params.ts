import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { MATERIAL_TYPES, type MaterialType } from '@little-monster/core/contract';

/** The Library's filters and search, kept in the address so Back from the viewer returns to them. */
export interface LibraryParams {
  /** A class id, 'unfiled' for materials in no class, or undefined for all. */
  classFilter: string | undefined;
  type: MaterialType | undefined;
  /** The search (as last settled, not every key press). */
  query: string;
  importedFrom: string;
  importedTo: string;
}

const KEYS: Record<keyof LibraryParams, string> = {
  classFilter: 'class',
  type: 'type',
  query: 'q',
  importedFrom: 'from',
  importedTo: 'to',
};

const isMaterialType = (value: string | null): value is MaterialType =>
  (MATERIAL_TYPES as readonly (string | null)[]).includes(value);

export function useLibraryParams(): [LibraryParams, (patch: Partial<LibraryParams>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo<LibraryParams>(() => {
    const type = searchParams.get(KEYS.type);
    return {
      classFilter: searchParams.get(KEYS.classFilter) || undefined,
      type: isMaterialType(type) ? type : undefined,
      query: searchParams.get(KEYS.query) ?? '',
      importedFrom: searchParams.get(KEYS.importedFrom) ?? '',
      importedTo: searchParams.get(KEYS.importedTo) ?? '',
    };
  }, [searchParams]);

  const update = useCallback(
    (patch: Partial<LibraryParams>) =>
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(patch) as [keyof LibraryParams, string | undefined][]) {
            if (value) next.set(KEYS[name], value);
            else next.delete(KEYS[name]);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
  return [params, update];
}
