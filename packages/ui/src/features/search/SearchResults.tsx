import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import type { ClassLookup } from '../classes/class-lookup';
import { useSearch, type SearchParams } from './queries';
import { SearchHitItem } from './SearchHitItem';
import { SemanticNote } from './SemanticNote';

export function SearchResults({ params, classes }: { params: SearchParams; classes: ClassLookup }) {
  const search = useSearch(params);
  if (search.isPending) return <Loading label="Searching…" />;
  if (search.isError)
    return <ErrorState error={search.error} what="search results" onRetry={() => void search.refetch()} />;
  const { hits, semanticAvailable, notice } = search.data;
  return (
    <section className="search-results" aria-label="Search results" aria-busy={search.isFetching}>
      {!semanticAvailable ? <SemanticNote /> : null}
      <p className="visually-hidden" role="status">
        {hits.length === 1 ? '1 result' : `${hits.length} results`}
      </p>
      {hits.length === 0 ? (
        <EmptyState title={notice ?? `Nothing found for “${params.query.trim()}”`}>
          {notice ? null : <p>Try other words, or clear the filters.</p>}
        </EmptyState>
      ) : (
        <ol className="search-hit-list" aria-label="Results">
          {hits.map((hit) => (
            <SearchHitItem key={hit.chunkId} hit={hit} classes={classes} />
          ))}
        </ol>
      )}
    </section>
  );
}
