import type { StudyClass } from '@little-monster/core/contract';

export const NO_CLASS = '';

/** A class picker whose empty value means "No class". */
export function ClassSelect({
  id,
  classes,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  classes: readonly StudyClass[];
  value: string | null;
  onChange(classId: string | null): void;
  describedBy?: string;
}) {
  return (
    <select
      id={id}
      value={value ?? NO_CLASS}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value === NO_CLASS ? null : e.target.value)}
    >
      <option value={NO_CLASS}>No class</option>
      {classes.map((cls) => (
        <option key={cls.id} value={cls.id}>
          {cls.name}
        </option>
      ))}
    </select>
  );
}
