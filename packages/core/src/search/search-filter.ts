import type { MaterialType } from '../db/schema/materials.js';

/** Which materials a search looks in. Every field narrows; none means the whole library. */
export interface SearchFilter {
  /** A class's materials; null or 'unfiled': materials in no class. */
  classId?: string | null;
  types?: MaterialType[];
  /** Imported on or after this ISO date or timestamp. */
  importedFrom?: string;
  /** Imported on or before this ISO timestamp, or during this ISO date (YYYY-MM-DD). */
  importedTo?: string;
}

export interface SqlCondition {
  /** Conditions on the `materials` table aliased `m`, joined by AND; empty for no filter. */
  sql: string;
  params: unknown[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function filterCondition(filter: SearchFilter): SqlCondition {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.classId === null || filter.classId === 'unfiled') clauses.push('m.class_id IS NULL');
  else if (filter.classId !== undefined) {
    clauses.push('m.class_id = ?');
    params.push(filter.classId);
  }
  if (filter.types && filter.types.length > 0) {
    clauses.push(`m.type IN (${filter.types.map(() => '?').join(', ')})`);
    params.push(...filter.types);
  }
  if (filter.importedFrom) {
    clauses.push('m.imported_at >= ?');
    params.push(filter.importedFrom);
  }
  if (filter.importedTo) {
    if (DATE_ONLY.test(filter.importedTo)) {
      clauses.push('m.imported_at < ?');
      params.push(nextDay(filter.importedTo));
    } else {
      clauses.push('m.imported_at <= ?');
      params.push(filter.importedTo);
    }
  }
  return { sql: clauses.join(' AND '), params };
}

export const hasFilter = (filter: SearchFilter) => filterCondition(filter).sql !== '';

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
