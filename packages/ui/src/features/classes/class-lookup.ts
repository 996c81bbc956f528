import { useMemo } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { useClasses } from './queries';

export type ClassLookup = ReadonlyMap<string, StudyClass>;

/** The name a material, lecture or conversation shows for its class. */
export const classNameOf = (classes: ClassLookup, classId: string | null) =>
  classId === null ? 'No class' : (classes.get(classId)?.name ?? 'Unknown class');

/** Every class (archived ones still name their items) and the ones to offer as a destination. */
export function useClassLookup(): { all: StudyClass[]; active: StudyClass[]; byId: ClassLookup } {
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
