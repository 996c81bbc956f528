import { useId } from 'react';
import { Link } from 'react-router';
import { generatePath } from '../generate/generate-links';
import type { Material } from '@little-monster/core/contract';
import { formatDate } from '../../app/format';
import { classNameOf, type ClassLookup } from '../classes/class-lookup';
import { useJob } from '../jobs/queries';
import { describePages, MATERIAL_TYPE_LABELS } from './material-labels';
import { viewerPath } from './viewer/viewer-link';

function ImportingNote({ jobId }: { jobId: string | null }) {
  const { data: job } = useJob(jobId);
  const percent =
    job?.progress === null || job?.progress === undefined ? null : Math.round(job.progress * 100);
  return (
    <p className="material-importing">
      <span className="spinner" aria-hidden="true" />
      Importing…{percent === null ? '' : ` ${percent}%`}
    </p>
  );
}

/** Problems the import met but got past ("page 7 could not be read"), in words, with a visible "!". */
function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="material-warnings">
      {warnings.map((warning, index) => (
        <li key={index} className="material-warning">
          <span className="warning-flag" aria-hidden="true">
            !
          </span>
          <span className="visually-hidden">Warning: </span>
          {warning}
        </li>
      ))}
    </ul>
  );
}

export interface MaterialItemProps {
  material: Material;
  classes: ClassLookup;
  selected: boolean;
  onSelect(selected: boolean): void;
  onRename(): void;
  onMove(): void;
  onDelete(): void;
}

export function MaterialItem({
  material,
  classes,
  selected,
  onSelect,
  onRename,
  onMove,
  onDelete,
}: MaterialItemProps) {
  const titleId = useId();
  const cls = material.classId ? classes.get(material.classId) : undefined;
  return (
    <li className={`material${selected ? ' is-selected' : ''}`} aria-labelledby={titleId}>
      <input
        type="checkbox"
        className="material-select"
        aria-label={`Select ${material.title}`}
        checked={selected}
        onChange={(e) => onSelect(e.target.checked)}
      />
      <div className="material-body">
        <h2 id={titleId} className="material-title">
          <Link to={viewerPath(material.id)}>{material.title}</Link>
        </h2>
        <p className="meta-line">
          {/* Its type is known once the import has read the file. */}
          {material.status === 'ready' ? (
            <span className="badge badge-type">{MATERIAL_TYPE_LABELS[material.type]}</span>
          ) : null}
          <span className="material-class">
            {cls ? <span className="dot" style={{ backgroundColor: cls.color }} aria-hidden="true" /> : null}
            {classNameOf(classes, material.classId)}
          </span>
          {material.status === 'ready' ? <span>{describePages(material)}</span> : null}
          <span>Imported {formatDate(material.importedAt)}</span>
        </p>
        {material.status === 'importing' ? <ImportingNote jobId={material.jobId} /> : null}
        <Warnings warnings={material.warnings} />
      </div>
      <div className="material-actions">
        {material.status === 'ready' ? (
          <Link className="button button-small" to={generatePath('material', material.id)}>
            Generate quiz / flashcards
          </Link>
        ) : null}
        <button type="button" className="button button-small" onClick={onRename}>
          Rename
        </button>
        <button type="button" className="button button-small" onClick={onMove}>
          Move
        </button>
        <button type="button" className="button button-small button-danger-quiet" onClick={onDelete}>
          Delete
        </button>
      </div>
    </li>
  );
}
