import { useId, useState, type FormEvent } from 'react';
import type { StudyClass } from '@little-monster/core/contract';
import { Dialog, FormDialogActions } from '../../app/components/Dialog';
import { isRpcCallError } from '../../transport/client';
import { ClassSelect } from '../classes/ClassSelect';
import { useLibraryImports } from './library-imports';
import { usePasteText } from './queries';

/** Text copied from anywhere (an e-mail, a web page) becomes a material like an imported file. */
export function PasteTextDialog({
  classes,
  initialClassId,
  onClose,
}: {
  classes: readonly StudyClass[];
  initialClassId: string | null;
  onClose(): void;
}) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [classId, setClassId] = useState(initialClassId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const paste = usePasteText();
  const addOutcome = useLibraryImports((state) => state.addOutcome);
  const id = useId();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    paste.mutate(
      { classId, title, text },
      {
        onSuccess(outcome) {
          addOutcome({ ...outcome, name: title.trim() });
          onClose();
        },
        onError(error) {
          if (!isRpcCallError(error, 'INVALID_INPUT')) return;
          setErrors(Object.fromEntries(error.fieldIssues.map((issue) => [issue.path, issue.message])));
        },
      },
    );
  }

  const fieldError = (name: string) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="field-error">
        {errors[name]}
      </p>
    ) : null;

  return (
    <Dialog title="Paste text" onClose={onClose} size="large">
      <form noValidate onSubmit={onSubmit} aria-busy={paste.isPending} className="paste-form">
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            type="text"
            value={title}
            aria-invalid={Boolean(errors.title)}
            aria-describedby={errors.title ? `${id}-title-error` : undefined}
            onChange={(e) => setTitle(e.target.value)}
          />
          {fieldError('title')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-text`}>Text</label>
          <textarea
            id={`${id}-text`}
            rows={12}
            value={text}
            aria-invalid={Boolean(errors.text)}
            aria-describedby={errors.text ? `${id}-text-error` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          {fieldError('text')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-class`}>Class</label>
          <ClassSelect id={`${id}-class`} classes={classes} value={classId} onChange={setClassId} />
        </div>
        <FormDialogActions submitLabel="Add to library" pending={paste.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
