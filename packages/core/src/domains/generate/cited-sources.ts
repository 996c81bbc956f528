import { createHash } from 'node:crypto';
import type {
  CitedSource,
  GeneratedItem,
  SourceLocation,
  SourceRef,
  Staleness,
} from '../../contract/index.js';
import type { Passage } from '../../search/hybrid-search.js';

const EXCERPT_CHARS = 160;
/** The hash of a source the student chose to keep an item without (it was deleted). */
export const KEPT_WITHOUT_SOURCE = 'kept-without-source';

export const textHash = (text: string) => createHash('sha256').update(text).digest('hex');

/** A passage as an item cites it: where it is, and the hash of its text now. */
export function citeSource(passage: Passage): CitedSource {
  const flat = passage.text.replace(/\s+/g, ' ').trim();
  return {
    ref: passage.ref,
    location: passage.location,
    title: passage.title,
    excerpt: flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS).trimEnd()}…` : flat,
    textHash: textHash(passage.text),
  };
}

export type PassagesOf = (ref: SourceRef) => Passage[];

/**
 * Whether an item's sources still say what they said when it was made: `removed` when a cited
 * source has no passages any more (deleted), `changed` when a cited passage's text is nowhere in
 * its source now (re-imported differently, a transcript line corrected), else null.
 */
export function stalenessOf(item: Pick<GeneratedItem, 'sources'>, passagesOf: PassagesOf): Staleness {
  let changed = false;
  for (const source of item.sources) {
    if (source.textHash === KEPT_WITHOUT_SOURCE) continue;
    const now = passagesOf(source.ref);
    if (now.length === 0) return 'removed';
    if (!now.some((passage) => textHash(passage.text) === source.textHash)) changed = true;
  }
  return changed ? 'changed' : null;
}

/**
 * "Keep as is": the item's sources as they are now, so it is not flagged again for this change.
 * A changed passage is replaced by the passage now nearest its place; a deleted source is marked kept.
 */
export function keptSources(sources: CitedSource[], passagesOf: PassagesOf): CitedSource[] {
  return sources.map((source) => {
    if (source.textHash === KEPT_WITHOUT_SOURCE) return source;
    const now = passagesOf(source.ref);
    if (now.length === 0) return { ...source, textHash: KEPT_WITHOUT_SOURCE };
    if (now.some((passage) => textHash(passage.text) === source.textHash)) return source;
    return citeSource(nearest(now, source.location));
  });
}

/** The current passages at a cited place: those at the same page or time, else the nearest one. */
export function nearest(passages: Passage[], location: SourceLocation): Passage {
  const position = (place: SourceLocation) =>
    place.kind === 'time' ? place.startSec : (place.pageStart ?? 0) * 1e6 + (place.spans[0]?.start ?? 0);
  const target = position(location);
  return passages.reduce((best, passage) =>
    Math.abs(position(passage.location) - target) < Math.abs(position(best.location) - target)
      ? passage
      : best,
  );
}
