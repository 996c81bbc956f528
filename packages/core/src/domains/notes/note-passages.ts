import type { TokenCounter } from '../../ai/tokenizer/token-counter.js';
import { extractText } from '../../ingest/text-extractor.js';
import { chunkDocument } from '../../search/chunker.js';
import type { ChunkInput } from '../../search/search-index.js';
import { withPlainStamps } from './note-markdown.js';

/**
 * A note's passages for search and the tutor: its title as the heading over its Markdown, cut
 * like an imported Markdown file (headings, paragraphs, token budget). Stamps are indexed as
 * their clock text, so a search never matches `#t=754`. Spans count in this indexed text.
 */
export function notePassages(
  note: { title: string; markdown: string },
  countTokens: TokenCounter,
): ChunkInput[] {
  const text = `# ${note.title.replace(/\s+/g, ' ').trim()}\n\n${withPlainStamps(note.markdown)}`;
  const document = extractText(text, { format: 'markdown', fallbackTitle: note.title });
  return chunkDocument(document, { countTokens }).map(({ ordinal: _ordinal, ...chunk }) => chunk);
}
