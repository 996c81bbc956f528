import { useId, useState, type FormEvent } from 'react';
import { useUiStoreApi } from '../ui-store';
import { isRpcCallError } from '../../transport/client';
import { Dialog, FormDialogActions } from './Dialog';

export interface RenameDialogProps {
  /** "Rename material", "Rename lecture"… */
  heading: string;
  current: string;
  pending: boolean;
  /** Saves the new title; resolves with what was saved, rejects with the engine's error. */
  rename(title: string): Promise<{ title: string }>;
  onClose(): void;
  submitLabel?: string;
  /** Confirm the new name in a toast (default true). */
  announce?: boolean;
}

/** One title field: unchanged closes, a refused title is explained beside the field. */
export function RenameDialog({
  heading,
  current,
  pending,
  rename,
  onClose,
  submitLabel = 'Save',
  announce = true,
}: RenameDialogProps) {
  const [title, setTitle] = useState(current);
  const [error, setError] = useState('');
  const store = useUiStoreApi();
  const fieldId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (title.trim() === current) return onClose();
    rename(title).then(
      (saved) => {
        if (announce) store.getState().pushToast({ tone: 'success', title: `Renamed to “${saved.title}”` });
        onClose();
      },
      (failure: unknown) => {
        if (isRpcCallError(failure, 'INVALID_INPUT'))
          setError(failure.fieldIssues[0]?.message ?? failure.message);
      },
    );
  }

  return (
    <Dialog title={heading} onClose={onClose}>
      <form noValidate onSubmit={submit} aria-busy={pending}>
        <div className="field">
          <label htmlFor={fieldId}>Title</label>
          <input
            id={fieldId}
            type="text"
            value={title}
            maxLength={200}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${fieldId}-error` : undefined}
            onChange={(e) => {
              setTitle(e.target.value);
              setError('');
            }}
          />
          {error ? (
            <p id={`${fieldId}-error`} className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <FormDialogActions submitLabel={submitLabel} pending={pending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
