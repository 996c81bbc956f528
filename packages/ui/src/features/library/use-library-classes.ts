import { useMemo } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { useClasses } from '../classes/queries';
import type { ClassLookup } from './material-labels';

/** Every class (archived ones still name their materials) and the ones to offer as a destination. */
export function useLibraryClasses(): { all: StudyClass[]; active: StudyClass[]; byId: ClassLookup } {
  const { data } = useClasses(true);
  return useMemo(() => {
    const all = data ?? [];
    return {
      all,
      active: all.filter((cls) => !cls.archived),
      byId: new Map(all.map((cls) => [cls.id, cls])),
    };
  }, [data]);
}
