import type { StudyScope } from '@little-monster/core/contract';

/** `?class=<id>` (or `none` for decks in no class) and `?deck=<id>` carry a scope in the address. */
export function scopeFromParams(params: URLSearchParams): StudyScope {
  const deckId = params.get('deck');
  if (deckId) return { deckId };
  const classId = params.get('class');
  if (classId === null) return {};
  return { classId: classId === 'none' ? null : classId };
}

function query(scope: StudyScope): string {
  if (scope.deckId) return `?deck=${encodeURIComponent(scope.deckId)}`;
  if (scope.classId === undefined) return '';
  return `?class=${scope.classId === null ? 'none' : encodeURIComponent(scope.classId)}`;
}

export const studyPath = (scope: StudyScope) => `/study${query({ classId: scope.classId })}`;
export const reviewPath = (scope: StudyScope) => `/study/review${query(scope)}`;
export const statsPath = (scope: StudyScope) => `/study/stats${query(scope)}`;
