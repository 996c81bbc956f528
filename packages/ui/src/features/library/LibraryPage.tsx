import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { useStore } from 'zustand';
import { MAX_SEARCH_QUERY } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { useEngine } from '../../app/engine-context';
import { useClassLookup } from '../classes/class-lookup';
import { DropZone } from '../imports/DropZone';
import { ImportFromPath } from '../imports/ImportFromPath';
import { ImportList } from '../imports/ImportList';
import { SearchResults } from '../search/SearchResults';
import { useDebouncedValue } from '../search/use-debounced-value';
import { LibraryFilters } from './LibraryFilters';
import { useLibraryImportsStore } from './library-imports';
import { MaterialsSection } from './MaterialsSection';
import { PasteTextDialog } from './PasteTextDialog';
import { useLibraryParams } from './use-library-params';
import { useStoredView } from './use-stored-view';
import { viewerPath } from './viewer/viewer-link';

/** Fast enough to feel live, slow enough not to search for every letter. */
const SEARCH_DELAY_MS = 150;

/** What another screen (the command palette) can ask of the Library as it opens it. */
export interface LibraryLocationState {
  /** Put the cursor in "Import from a path" (where files cannot be uploaded). */
  focusPathInput?: boolean;
}

export function LibraryPage() {
  const [params, setParams] = useLibraryParams();
  const classes = useClassLookup();
  const { transport } = useEngine();
  const canUpload = Boolean(transport.files ?? transport.localFiles);
  const [view, setView] = useStoredView();
  const [pasting, setPasting] = useState(false);
  const [importClassId, setImportClassId] = useState<string | null>(
    params.classFilter && params.classFilter !== 'unfiled' ? params.classFilter : null,
  );
  const location = useLocation();
  const [focusPathInput] = useState(
    () => (location.state as LibraryLocationState | null)?.focusPathInput === true,
  );
  const imports = useLibraryImportsStore();
  const importFiles = useStore(imports, (state) => state.importFiles);
  const importPath = useStore(imports, (state) => state.importPath);

  const [queryText, setQueryText] = useState(params.query);
  const query = useDebouncedValue(queryText, SEARCH_DELAY_MS).trim();
  useEffect(() => {
    if (query !== params.query) setParams({ query });
  }, [query, params.query, setParams]);

  return (
    <>
      <PageHeader
        title="Library"
        description="Your slides, PDFs, photos of notes and documents, searchable in one place."
        actions={
          <button type="button" className="button" onClick={() => setPasting(true)}>
            Paste text
          </button>
        }
      />
      <div className="library-import">
        <DropZone
          label="Add to your library"
          title="Drop PDFs, slides, photos of notes or documents here"
          picker={{ label: 'Import files', inputLabel: 'Files to import', primary: true }}
          folders
          canUpload={canUpload}
          classes={classes.active}
          classId={importClassId}
          onClassChange={setImportClassId}
          onFiles={(files) => importFiles(files, importClassId)}
        />
        <ImportFromPath
          onImport={(path) => importPath(path, importClassId)}
          startOpen={!canUpload || focusPathInput}
          focusOnArrival={focusPathInput}
        />
        <ImportList
          title="Imports"
          store={imports}
          openPath={viewerPath}
          cancelledJobText="Cancelled. Nothing was added."
          duplicateText="Already in your library:"
        />
      </div>

      <div className="library-search">
        <input
          type="search"
          className="search-input"
          aria-label="Search your library"
          placeholder="Search your library"
          maxLength={MAX_SEARCH_QUERY}
          value={queryText}
          onChange={(e) => setQueryText(e.target.value)}
        />
        <LibraryFilters
          params={params}
          onChange={(patch) => {
            setParams(patch);
            // New imports go where the student is looking.
            if (patch.classFilter !== undefined)
              setImportClassId(patch.classFilter === 'unfiled' ? null : patch.classFilter);
          }}
          classes={classes.all}
          searching={query.length > 0}
          view={view}
          onViewChange={setView}
        />
      </div>

      {query ? (
        <SearchResults
          params={{
            query,
            ...(params.classFilter ? { classId: params.classFilter } : {}),
            ...(params.type ? { types: [params.type] } : {}),
            ...(params.importedFrom ? { importedFrom: startOfLocalDay(params.importedFrom) } : {}),
            ...(params.importedTo ? { importedTo: endOfLocalDay(params.importedTo) } : {}),
          }}
          classes={classes.byId}
        />
      ) : (
        <MaterialsSection
          classFilter={params.classFilter}
          type={params.type}
          view={view}
          classes={classes.byId}
          activeClasses={classes.active}
          canUpload={canUpload}
        />
      )}

      {pasting ? (
        <PasteTextDialog
          classes={classes.active}
          initialClassId={importClassId}
          onClose={() => setPasting(false)}
        />
      ) : null}
    </>
  );
}

/** Import times are stored in UTC; the student picks days in their own time zone. */
function startOfLocalDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day).toISOString();
}

function endOfLocalDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day, 23, 59, 59, 999).toISOString();
}
