import { useId, useState, type FormEvent } from 'react';
import type { Material, StudyClass } from '@little-monster/core/contract';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { useUiStoreApi } from '../../app/ui-store';
import { ClassSelect } from '../classes/ClassSelect';
import { useMoveMaterials } from './queries';

const describe = (materials: readonly Material[]) =>
  materials.length === 1 ? `“${materials[0]?.title ?? ''}”` : `${materials.length} materials`;

/** Puts one or several materials in a class (or in none). */
export function MoveMaterialsDialog({
  materials,
  classes,
  onClose,
  onMoved,
}: {
  materials: readonly Material[];
  classes: readonly StudyClass[];
  onClose(): void;
  onMoved?(): void;
}) {
  const first = materials[0];
  const shared = materials.every((m) => m.classId === first?.classId) ? (first?.classId ?? null) : null;
  const [classId, setClassId] = useState<string | null>(shared);
  const move = useMoveMaterials();
  const store = useUiStoreApi();
  const fieldId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    move.mutate(
      { ids: materials.map((m) => m.id), classId },
      {
        onSuccess() {
          const where = classId ? (classes.find((c) => c.id === classId)?.name ?? 'the class') : 'No class';
          store.getState().pushToast({ tone: 'success', title: `Moved ${describe(materials)} to ${where}` });
          onMoved?.();
          onClose();
        },
      },
    );
  }

  return (
    <Dialog
      title={materials.length === 1 ? 'Move material' : `Move ${materials.length} materials`}
      onClose={onClose}
    >
      <form onSubmit={onSubmit} aria-busy={move.isPending}>
        <div className="field">
          <label htmlFor={fieldId}>Class</label>
          <ClassSelect id={fieldId} classes={classes} value={classId} onChange={setClassId} />
        </div>
        <FormDialogActions submitLabel="Move" pending={move.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
