import { useId } from 'react';
import { Link } from 'react-router';
import type { SearchHit } from '@little-monster/core/contract';
import { describeLocation, sourcePath, sourceTypeLabel } from '../../app/source-link';
import { classNameOf, type ClassLookup } from '../classes/class-lookup';
import { SnippetText } from './SnippetText';

const MATCHED_BY_LABELS = { keyword: 'Keyword', semantic: 'Meaning' } as const;

export function SearchHitItem({ hit, classes }: { hit: SearchHit; classes: ClassLookup }) {
  const titleId = useId();
  const where = describeLocation(hit);
  return (
    <li className="search-hit" aria-labelledby={titleId}>
      <h2 id={titleId} className="search-hit-title">
        <Link to={sourcePath(hit)}>{hit.title}</Link>
      </h2>
      <p className="meta-line">
        <span className="badge badge-type">{sourceTypeLabel(hit)}</span>
        <span>{classNameOf(classes, hit.classId)}</span>
        {where ? <span>{where}</span> : null}
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
