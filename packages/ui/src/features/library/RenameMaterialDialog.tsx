import { useId, useState, type FormEvent } from 'react';
import type { Material } from '@little-monster/core/contract';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { useUiStoreApi } from '../../app/ui-store';
import { isRpcCallError } from '../../transport/client';
import { useRenameMaterial } from './queries';

export function RenameMaterialDialog({ material, onClose }: { material: Material; onClose(): void }) {
  const [title, setTitle] = useState(material.title);
  const [error, setError] = useState('');
  const rename = useRenameMaterial();
  const store = useUiStoreApi();
  const fieldId = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (title.trim() === material.title) return onClose();
    rename.mutate(
      { id: material.id, title },
      {
        onSuccess(saved) {
          store.getState().pushToast({ tone: 'success', title: `Renamed to “${saved.title}”` });
          onClose();
        },
        onError(failure) {
          if (isRpcCallError(failure, 'INVALID_INPUT'))
            setError(failure.fieldIssues[0]?.message ?? failure.message);
        },
      },
    );
  }

  return (
    <Dialog title="Rename material" onClose={onClose}>
      <form noValidate onSubmit={onSubmit} aria-busy={rename.isPending}>
        <div className="field">
          <label htmlFor={fieldId}>Title</label>
          <input
            id={fieldId}
            type="text"
            value={title}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${fieldId}-error` : undefined}
            onChange={(e) => {
              setTitle(e.target.value);
              setError('');
            }}
          />
          {error ? (
            <p id={`${fieldId}-error`} className="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <FormDialogActions submitLabel="Save" pending={rename.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
