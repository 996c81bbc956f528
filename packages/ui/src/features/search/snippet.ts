import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '@little-monster/core/contract';
import type { TextSegment } from '../library/viewer/highlight';

/**
 * Splits a snippet at the engine's marker characters into plain and marked runs. The snippet
 * is shown as text (never parsed as HTML), so `<script>` in a student's notes stays words.
 * A stray marker is dropped, never shown.
 */
export function snippetSegments(snippet: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let marked = false;
  let run = '';
  const flush = () => {
    if (run) segments.push({ text: run, marked });
    run = '';
  };
  for (const char of snippet) {
    if (char === SNIPPET_MARK_START || char === SNIPPET_MARK_END) {
      flush();
      marked = char === SNIPPET_MARK_START;
    } else {
      run += char;
    }
  }
  flush();
  return segments;
}
