import { useId } from 'react';
import { Link } from 'react-router';
import type { SearchHit } from '@little-monster/core/contract';
import { classNameOf, type ClassLookup } from '../classes/class-lookup';
import { describePageRange, MATERIAL_TYPE_LABELS } from '../library/material-labels';
import { viewerPath } from '../library/viewer/viewer-link';
import { lecturePath } from '../lectures/lecture-link';
import { SnippetText } from './SnippetText';

const MATCHED_BY_LABELS = { keyword: 'Keyword', semantic: 'Meaning' } as const;

/**
 * Where a hit opens: its material at its first page, with the hit's text marked; a lecture's
 * transcript opens the lecture, playing from the second the passage was said when the hit says.
 */
export const hitPath = (hit: SearchHit) =>
  hit.materialType === 'lecture'
    ? lecturePath(hit.materialId, hit.startSec)
    : viewerPath(hit.materialId, { page: hit.pageStart, spans: hit.spans });

export function SearchHitItem({ hit, classes }: { hit: SearchHit; classes: ClassLookup }) {
  const titleId = useId();
  const pages = describePageRange(hit.pageStart, hit.pageEnd);
  return (
    <li className="search-hit" aria-labelledby={titleId}>
      <h2 id={titleId} className="search-hit-title">
        <Link to={hitPath(hit)}>{hit.materialTitle}</Link>
      </h2>
      <p className="meta-line">
        <span className="badge badge-type">{MATERIAL_TYPE_LABELS[hit.materialType]}</span>
        <span>{classNameOf(classes, hit.classId)}</span>
        {pages ? <span>{pages}</span> : null}
        {hit.heading ? <span className="muted">{hit.heading}</span> : null}
        {hit.matchedBy.map((how) => (
          <span key={how} className={`badge badge-match badge-${how}`}>
            {MATCHED_BY_LABELS[how]}
          </span>
        ))}
      </p>
      <p className="search-hit-snippet">
        <SnippetText snippet={hit.snippet} />
      </p>
    </li>
  );
}
