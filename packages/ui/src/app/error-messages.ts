import type { ErrorCode, FieldIssue } from '@little-monster/core/contract';
import { RpcCallError } from '../transport/client';

export interface ErrorExplanation {
  code: ErrorCode | 'UI';
  title: string;
  /** What happened, in the engine's words when it has specific ones. */
  message: string;
  /** What the student can do about it. */
  action: string;
}

const GUIDE: Record<ErrorCode, { title: string; action: string }> = {
  INVALID_INPUT: {
    title: 'Some details need fixing',
    action: 'Correct the fields listed and try again.',
  },
  NOT_FOUND: {
    title: 'That item no longer exists',
    action: 'It may have been deleted in another window. The list has been refreshed.',
  },
  CONFLICT: {
    title: 'That changed somewhere else',
    action: 'Look at the latest version, then make your change again.',
  },
  CANCELLED: {
    title: 'Cancelled',
    action: 'Nothing else changed. Start it again whenever you like.',
  },
  MODEL_NOT_INSTALLED: {
    title: 'An AI model is missing',
    action: 'Install the model this feature needs, then try again.',
  },
  ENGINE_UNAVAILABLE: {
    title: 'The engine is not reachable',
    action: 'It restarts by itself. Wait a moment, then try again.',
  },
  UNAUTHORIZED: {
    title: 'Access was refused',
    action: 'Open the address printed by `npm run web` again, or restart the app.',
  },
  STORAGE_UNAVAILABLE: {
    title: 'Your data could not be saved or read',
    action: 'Check that the disk has free space and the data folder is available, then try again.',
  },
  INTERNAL: {
    title: 'Something went wrong in the engine',
    action: 'Try again. If it keeps happening, the log file (Settings, Your data) has the details.',
  },
};

/**
 * What a feature adds to the app's error messages. Field names are the paths of its calls'
 * inputs; every feature's are merged, so one name must read the same everywhere.
 */
export interface ErrorTexts {
  /** Input fields as its forms label them ("schedule" → "Weekly schedule"). */
  fields?: Readonly<Record<string, string>>;
  /** What one item of a list field is called ("schedule" → "meeting"). */
  rows?: Readonly<Record<string, string>>;
  /** What to do when a job of this kind fails; null when the job's own reason already says it. */
  jobFailureActions?: Readonly<Record<string, string | null>>;
}

const REQUEST_LABEL = 'The request';

/** Strips the envelope of an update call: `patch.schedule.0.end` names the field `schedule.0.end`. */
export const fieldPath = (path: string): string => path.replace(/^patch\.?/, '') || '(input)';

/** `schedule.0.end` → "Weekly schedule, meeting 1, end". */
export function describeFieldPath(path: string, texts: ErrorTexts = {}): string {
  const parts = fieldPath(path).split('.');
  return parts
    .map((part, index) => {
      if (part === '(input)') return REQUEST_LABEL;
      if (/^\d+$/.test(part)) return `${texts.rows?.[parts[index - 1] ?? ''] ?? 'item'} ${Number(part) + 1}`;
      return texts.fields?.[part] ?? part;
    })
    .join(', ');
}

export function describeFieldIssues(issues: FieldIssue[], texts: ErrorTexts = {}): string {
  return issues.map((issue) => `${describeFieldPath(issue.path, texts)}: ${issue.message}`).join('; ');
}

/** Turns any failure into a title, what happened and what to do, for a toast or an error panel. */
export function explainError(error: unknown, texts: ErrorTexts = {}): ErrorExplanation {
  if (error instanceof RpcCallError) {
    const guide = GUIDE[error.code];
    const issues = error.fieldIssues;
    const message =
      error.code === 'INVALID_INPUT' && issues.length > 0
        ? `Check ${describeFieldIssues(issues, texts)}.`
        : error.message;
    return { code: error.code, title: guide.title, message, action: guide.action };
  }
  return {
    code: 'UI',
    title: 'Something went wrong in this window',
    message: error instanceof Error ? error.message : String(error),
    action: 'Reload the window. Your saved work is safe in the engine.',
  };
}
