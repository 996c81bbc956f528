import type { MaterialType, SourceKind } from '../contract/index.js';

/** Which sources a search looks in. Every field narrows; none means everything indexed. */
export interface SearchFilter {
  /** A class's sources; null or 'unfiled': sources in no class. */
  classId?: string | null;
  kinds?: SourceKind[];
  /** Materials of these types (other kinds of source are left out). */
  types?: MaterialType[];
  /** Added on or after this ISO date or timestamp. */
  importedFrom?: string;
  /** Added on or before this ISO timestamp, or during this ISO date (YYYY-MM-DD). */
  importedTo?: string;
}

export interface SqlCondition {
  /** Conditions on the `search_sources` table aliased `s`, joined by AND; empty for no filter. */
  sql: string;
  params: unknown[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

export function filterCondition(filter: SearchFilter): SqlCondition {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.classId === null || filter.classId === 'unfiled') clauses.push('s.class_id IS NULL');
  else if (filter.classId !== undefined) {
    clauses.push('s.class_id = ?');
    params.push(filter.classId);
  }
  if (filter.kinds && filter.kinds.length > 0) {
    clauses.push(`s.kind IN (${placeholders(filter.kinds)})`);
    params.push(...filter.kinds);
  }
  if (filter.types && filter.types.length > 0) {
    clauses.push(`s.material_type IN (${placeholders(filter.types)})`);
    params.push(...filter.types);
  }
  if (filter.importedFrom) {
    clauses.push('s.added_at >= ?');
    params.push(filter.importedFrom);
  }
  if (filter.importedTo) {
    if (DATE_ONLY.test(filter.importedTo)) {
      clauses.push('s.added_at < ?');
      params.push(nextDay(filter.importedTo));
    } else {
      clauses.push('s.added_at <= ?');
      params.push(filter.importedTo);
    }
  }
  return { sql: clauses.join(' AND '), params };
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
