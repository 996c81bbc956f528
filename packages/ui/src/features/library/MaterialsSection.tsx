import { useState } from 'react';
import type { Material, MaterialType, StudyClass } from '@little-monster/core/contract';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { BulkActions } from './BulkActions';
import { DeleteMaterialsDialog } from './DeleteMaterialsDialog';
import type { ClassLookup } from '../classes/class-lookup';
import { MaterialItem } from './MaterialItem';
import { MoveMaterialsDialog } from './MoveMaterialsDialog';
import { useMaterials } from './queries';
import { RenameMaterialDialog } from './RenameMaterialDialog';
import type { LibraryView } from './use-stored-view';

const PAGE_SIZE = 200;
/** The most materials.list returns at once. */
const MAX_SHOWN = 1000;

type Acting =
  | { kind: 'rename'; material: Material }
  | { kind: 'move'; materials: Material[] }
  | { kind: 'delete'; materials: Material[] };

export interface MaterialsSectionProps {
  classFilter: string | undefined;
  type: MaterialType | undefined;
  view: LibraryView;
  classes: ClassLookup;
  activeClasses: readonly StudyClass[];
  canUpload: boolean;
}

/** The materials that match the filters, with per-item and bulk actions. */
export function MaterialsSection({
  classFilter,
  type,
  view,
  classes,
  activeClasses,
  canUpload,
}: MaterialsSectionProps) {
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [acting, setActing] = useState<Acting | null>(null);
  const materials = useMaterials({ classId: classFilter, type, limit });

  if (materials.isPending) return <Loading label="Loading your library…" />;
  if (materials.isError)
    return (
      <ErrorState error={materials.error} what="your library" onRetry={() => void materials.refetch()} />
    );

  const { items, total } = materials.data;
  const filtered = classFilter !== undefined || type !== undefined;
  // Only what is on screen can be acted on, so a filter change never deletes hidden materials.
  const selected = items.filter((m) => selectedIds.has(m.id));
  const select = (id: string, on: boolean) =>
    setSelectedIds((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const clearSelection = () => setSelectedIds(new Set());

  if (items.length === 0) {
    return filtered ? (
      <EmptyState title="No materials match these filters">
        <p>Choose “All classes” and “All types” to see everything.</p>
      </EmptyState>
    ) : (
      <EmptyState title="Your library is empty">
        <p>
          {canUpload
            ? 'Drop PDFs, slides, photos of notes or documents here, or choose Import files.'
            : 'Import PDFs, slides, photos of notes or documents by their path above.'}
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      <BulkActions
        shown={items.length}
        selected={selected.length}
        onSelectAll={(all) => setSelectedIds(all ? new Set(items.map((m) => m.id)) : new Set())}
        onMove={() => setActing({ kind: 'move', materials: selected })}
        onDelete={() => setActing({ kind: 'delete', materials: selected })}
      />
      <ul className={`materials materials-${view}`} aria-label="Materials" aria-busy={materials.isFetching}>
        {items.map((material) => (
          <MaterialItem
            key={material.id}
            material={material}
            classes={classes}
            selected={selectedIds.has(material.id)}
            onSelect={(on) => select(material.id, on)}
            onRename={() => setActing({ kind: 'rename', material })}
            onMove={() => setActing({ kind: 'move', materials: [material] })}
            onDelete={() => setActing({ kind: 'delete', materials: [material] })}
          />
        ))}
      </ul>
      {total > items.length ? (
        <div className="row materials-more">
          <span className="muted">
            Showing {items.length} of {total}.
            {limit >= MAX_SHOWN ? ' Filter by class or type to see the rest.' : ''}
          </span>
          {limit < MAX_SHOWN ? (
            <button
              type="button"
              className="button"
              onClick={() => setLimit((n) => Math.min(MAX_SHOWN, n + PAGE_SIZE))}
            >
              Show more
            </button>
          ) : null}
        </div>
      ) : null}

      {acting?.kind === 'rename' ? (
        <RenameMaterialDialog material={acting.material} onClose={() => setActing(null)} />
      ) : acting?.kind === 'move' ? (
        <MoveMaterialsDialog
          materials={acting.materials}
          classes={activeClasses}
          onClose={() => setActing(null)}
          onMoved={clearSelection}
        />
      ) : acting?.kind === 'delete' ? (
        <DeleteMaterialsDialog
          materials={acting.materials}
          onClose={() => setActing(null)}
          onDeleted={() =>
            setSelectedIds(
              (current) => new Set([...current].filter((id) => !acting.materials.some((m) => m.id === id))),
            )
          }
        />
      ) : null}
    </>
  );
}
