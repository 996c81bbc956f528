import type { ReactNode } from 'react';
import { explainError } from '../error-messages';
import { useFeatureRegistry } from '../feature-registry';

export function Loading({ label }: { label: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

/** A query that failed: what happened, what to do, and a way to try again. */
export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  const { title, message, action } = explainError(error, useFeatureRegistry().errorTexts);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        Could not load {what}. {title}.
      </p>
      <p className="state-body">{message}</p>
      <p className="state-body">{action}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
