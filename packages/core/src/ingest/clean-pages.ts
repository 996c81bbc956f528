import { cleanText, HyphenationVocabulary, type CleanedText } from './clean-text.js';
import type { ExtractedDocument, ExtractedPage, PageWord } from './extracted-document.js';

/** A cleaned page, with the alignments of its text and notes to what the importer read. */
export interface CleanedPage {
  page: ExtractedPage;
  text: CleanedText;
  notes: CleanedText | null;
}

/** The document with every page's text cleaned (clean-text.ts) and its positions moved to match. */
export function cleanDocument(document: ExtractedDocument): ExtractedDocument {
  const vocabulary = documentVocabulary(document.pages);
  return {
    ...document,
    title: cleanText(document.title).text.replace(/\s+/g, ' ').trim() || document.title,
    pages: document.pages.map((page) => cleanPage(page, vocabulary).page),
  };
}

/** The words of all the pages (text and notes), to tell split words from compounds. */
export const documentVocabulary = (pages: Pick<ExtractedPage, 'text' | 'notes'>[]) =>
  new HyphenationVocabulary(pages.flatMap((page) => [page.text, page.notes ?? '']));

/**
 * A page with its text and notes cleaned, its structure and word positions moved onto the cleaned
 * text. Words keep their boxes: a word split at a line end ("duplica-" and "tion") keeps both
 * boxes, now pointing into the one cleaned word, so a highlight still covers both halves.
 */
export function cleanPage(page: ExtractedPage, vocabulary: HyphenationVocabulary): CleanedPage {
  const options = { vocabulary, repairAccents: page.source === 'text-layer' };
  const text = cleanText(page.text, options);
  const notes = page.notes === undefined ? null : cleanText(page.notes, options);
  const blocks = page.blocks.flatMap((block) => {
    const start = text.toCleaned(block.start, 'start');
    const end = text.toCleaned(block.end, 'end');
    return end > start ? [{ ...block, start, end }] : [];
  });
  const words = page.words.flatMap((word): PageWord[] => {
    const start = text.toCleaned(word.start, 'start');
    const end = text.toCleaned(word.start + word.text.length, 'end');
    const cleaned = text.text.slice(start, end).trim();
    return [{ ...word, start, text: cleaned || word.text }];
  });
  return {
    page: { ...page, text: text.text, blocks, words, ...(notes ? { notes: notes.text } : {}) },
    text,
    notes,
  };
}
