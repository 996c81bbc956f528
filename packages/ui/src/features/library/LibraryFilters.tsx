import { useId } from 'react';
import { MATERIAL_TYPES, type MaterialType, type StudyClass } from '@little-monster/core/contract';
import { MATERIAL_TYPE_LABELS } from './material-labels';
import type { LibraryParams } from './use-library-params';
import type { LibraryView } from './use-stored-view';

const ALL = '';

export interface LibraryFiltersProps {
  params: LibraryParams;
  onChange(patch: Partial<LibraryParams>): void;
  classes: readonly StudyClass[];
  /** Dates narrow search results only (the list is already newest first). */
  searching: boolean;
  view: LibraryView;
  onViewChange(view: LibraryView): void;
}

export function LibraryFilters({
  params,
  onChange,
  classes,
  searching,
  view,
  onViewChange,
}: LibraryFiltersProps) {
  const id = useId();
  return (
    <div className="library-filters">
      <div className="field">
        <label htmlFor={`${id}-class`}>Class</label>
        <select
          id={`${id}-class`}
          value={params.classFilter ?? ALL}
          onChange={(e) => onChange({ classFilter: e.target.value || undefined })}
        >
          <option value={ALL}>All classes</option>
          {classes.map((cls) => (
            <option key={cls.id} value={cls.id}>
              {cls.name}
              {cls.archived ? ' (archived)' : ''}
            </option>
          ))}
          <option value="unfiled">No class</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          value={params.type ?? ALL}
          onChange={(e) => onChange({ type: (e.target.value || undefined) as MaterialType | undefined })}
        >
          <option value={ALL}>All types</option>
          {MATERIAL_TYPES.map((type) => (
            <option key={type} value={type}>
              {MATERIAL_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </div>
      {searching ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>Imported from</label>
            <input
              id={`${id}-from`}
              type="date"
              value={params.importedFrom}
              max={params.importedTo || undefined}
              onChange={(e) => onChange({ importedFrom: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>Imported until</label>
            <input
              id={`${id}-to`}
              type="date"
              value={params.importedTo}
              min={params.importedFrom || undefined}
              onChange={(e) => onChange({ importedTo: e.target.value })}
            />
          </div>
        </>
      ) : (
        <div className="view-toggle" role="group" aria-label="View">
          <button
            type="button"
            className="button button-small"
            aria-pressed={view === 'grid'}
            onClick={() => onViewChange('grid')}
          >
            Grid
          </button>
          <button
            type="button"
            className="button button-small"
            aria-pressed={view === 'list'}
            onClick={() => onViewChange('list')}
          >
            List
          </button>
        </div>
      )}
    </div>
  );
}
