import type { ReactNode } from 'react';

interface Notes {
  hint?: ReactNode;
  error?: string | undefined;
}

/** What a control's `aria-describedby` names: its error first, then its hint (undefined for neither). */
export const describedByNotes = (id: string, { hint, error }: Notes): string | undefined =>
  [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;

/** A field's hint and its error, below its control, with the ids `describedByNotes` names. */
export function FieldNotes({ id, hint, error }: Notes & { id: string }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}
