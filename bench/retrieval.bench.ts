/**
 * Retrieval quality on the labelled set (packages/core/src/search/test-support/
 * retrieval-questions.json): questions a student asks about tracemonkey.pdf, the scanned
 * TAMReview.pdf (OCR) and two recordings' transcripts, each with the page or second that answers
 * it. The documents go through the product's importer (extractDocument: text layer or OCR),
 * chunker and index in the app's real database; then every question is asked
 * - before (the baseline): keyword search as it was before question-aware retrieval, every
 *   word required, then (when that found too few) any word but the commonest, in FTS5 bm25
 *   order, over the same (cleaned) passages,
 * - by keyword only (HybridSearch, mode 'keyword', the whole question as typed),
 * - hybrid (keyword + meaning, fused) with a generated embedding model: real pipeline,
 *   meaningless vectors (no real embedding weights can be installed here), so this row shows
 *   what fusion costs when the semantic list is noise, not what bge-small would gain,
 * - through the tutor's retrieval path (TutorRetriever: class-scoped hybrid search and the
 *   relevance gate), with and without the embedding model.
 * hit@k: a passage from an answering page (or covering the second) among the first k; MRR over
 * the whole list. "Uncovered" questions have no answer: the tutor should keep no passage.
 *
 * OCR of TAMReview.pdf takes minutes on a busy machine: extracted pages are cached in the temp
 * folder, keyed by the PDF's and the readers' source files' hashes (BENCH_FRESH=1 ignores it),
 * and cleaned again when read (clean-text.ts, idempotent). BENCH_MISSES="keyword only" (a row's
 * name) prints the questions that row misses in its top 3.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestEmbeddingModel } from '../scripts/fixtures/make-embedding-model.js';
import { LlamaCppEmbedder } from '../packages/core/src/ai/embedder/llama-cpp-embedder.js';
import { TesseractOcrEngine } from '../packages/core/src/ai/ocr/tesseract-ocr-engine.js';
import { TutorRetriever } from '../packages/core/src/domains/tutor/tutor-retriever.js';
import { cleanDocument } from '../packages/core/src/ingest/clean-pages.js';
import { extractDocument } from '../packages/core/src/ingest/extract-document.js';
import type { ExtractedPage } from '../packages/core/src/ingest/extracted-document.js';
import { fixture } from '../packages/core/src/ingest/test-support/fixtures.js';
import { releasePdfWorkers } from '../packages/core/src/ingest/warm-pdf-workers.js';
import { HybridSearch, type SearchMode } from '../packages/core/src/search/hybrid-search.js';
import { SearchIndex } from '../packages/core/src/search/search-index.js';
import { SearchSources } from '../packages/core/src/search/search-sources.js';
import { bgeTokenCounter, openLibraryDatabase } from '../packages/core/src/search/test-support/library.js';
import { indexRetrievalSet } from '../packages/core/src/search/test-support/retrieval-library.js';
import {
  answers,
  loadRetrievalSet,
  scoreRankings,
  type RetrievalQuestion,
  type RetrievedPlace,
} from '../packages/core/src/search/test-support/retrieval-set.js';
import { printTable } from './stats.js';
import { loadLlamaRuntime } from '../packages/core/src/ai/llama/llama-runtime.js';

const LIMIT = 10;
/** The baseline's stop words: the few the keyword query left out of its "any word" fallback. */
const BEFORE_STOPWORDS = new Set(
  'a an and are as at be but by for from has have in is it its of on or that the this to was were will with'.split(
    ' ',
  ),
);
const set = loadRetrievalSet();
const answerable = set.questions.filter((question) => question.source !== null);
const uncovered = set.questions.filter((question) => question.source === null);

/**
 * Hash of the readers' code: a change to it makes cached pages stale. Text cleaning is left out:
 * it is applied again to cached pages (cleaning is idempotent), so it can change without OCR.
 */
function readersHash(): string {
  const hash = createHash('sha256');
  for (const dir of ['ingest', 'ai/ocr']) {
    const path = fileURLToPath(new URL(`../packages/core/src/${dir}/`, import.meta.url));
    for (const file of readdirSync(path).sort()) {
      if (file.endsWith('.ts') && !file.startsWith('clean-') && file !== 'extract-document.ts')
        hash.update(file).update(readFileSync(join(path, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const cacheDir = join(tmpdir(), 'little-monster-bench-cache');
let ocr: TesseractOcrEngine | undefined;
async function pagesOf(relativePath: string): Promise<ExtractedPage[]> {
  const path = fixture(relativePath);
  const key = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  const cached = join(cacheDir, `pages-${key}-${readersHash()}.json`);
  if (existsSync(cached) && !process.env.BENCH_FRESH) {
    const pages = JSON.parse(readFileSync(cached, 'utf8')) as ExtractedPage[];
    return cleanDocument({ type: 'pdf', mimeType: 'application/pdf', title: '', pages, warnings: [] }).pages;
  }
  const started = Date.now();
  const document = await extractDocument(
    { path, name: relativePath.split('/').at(-1)! },
    { ocr: (ocr ??= new TesseractOcrEngine()) },
    { signal: new AbortController().signal },
  );
  console.log(`Extracted ${relativePath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, JSON.stringify(document.pages));
  return document.pages;
}

const storage = openLibraryDatabase();
const modelDir = mkdtempSync(join(tmpdir(), 'lm-bench-retrieval-'));
const tokenizer = await bgeTokenCounter();
if (!tokenizer) throw new Error('The bge vocabulary is needed (node-llama-cpp bundles it).');
const embedder = await LlamaCppEmbedder.load({
  modelPath: makeTestEmbeddingModel(modelDir).path,
  modelId: 'generated',
  threads: 1,
  runtime: await loadLlamaRuntime('off'),
});
try {
  const index = new SearchIndex(storage.sqlite);
  const keywordOnly = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => null });
  const withEmbedder = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => embedder });
  const library = await indexRetrievalSet(set, {
    index,
    search: keywordOnly,
    countTokens: tokenizer.countTokens,
    pagesOf,
  });
  await index.embedPending(embedder);
  const chunks = storage.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
  console.log(`${set.questions.length} questions (${uncovered.length} not covered) over ${chunks} passages`);

  const searchPlaces = (search: HybridSearch, mode: SearchMode) => async (question: RetrievalQuestion) =>
    (await search.search({ query: question.question, mode, limit: LIMIT, asYouType: false })).hits.map(
      library.placeOf,
    );
  const beforeMatches = storage.sqlite.prepare(
    `SELECT c.id, s.ref_id AS refId, c.page_start AS pageStart, c.page_end AS pageEnd,
            c.time_start_ms / 1000.0 AS startSec, c.time_end_ms / 1000.0 AS endSec
     FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN search_sources s ON s.id = c.source_id
     WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts, 1.0, 0.5) LIMIT ?`,
  );
  type BeforeRow = Omit<RetrievedPlace, 'source'> & { id: number; refId: string };
  const beforePlaces = async (question: RetrievalQuestion): Promise<RetrievedPlace[]> => {
    const words = [...question.question.toLowerCase().matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((m) => m[0]);
    const rare = words.filter((word) => !BEFORE_STOPWORDS.has(word));
    const found = new Map<number, RetrievedPlace>();
    for (const terms of [words.map((w) => `"${w}"`).join(' AND '), rare.map((w) => `"${w}"`).join(' OR ')]) {
      if (!terms || found.size >= LIMIT) continue;
      for (const { id, refId, ...place } of beforeMatches.all(terms, LIMIT) as BeforeRow[]) {
        if (found.size < LIMIT && !found.has(id))
          found.set(id, { source: library.sourceOf.get(refId) ?? '', ...place });
      }
    }
    return [...found.values()];
  };
  const tutorPlaces = (search: HybridSearch) => {
    const retriever = new TutorRetriever(
      new SearchSources({ index, search, afterCommit: (effect) => effect() }),
    );
    return async (question: RetrievalQuestion) =>
      (await retriever.retrieve({ question: question.question, classId: null })).map(library.placeOf);
  };
  const retrievers: { what: string; places: (question: RetrievalQuestion) => Promise<RetrievedPlace[]> }[] = [
    { what: 'before: every word, then any (baseline)', places: beforePlaces },
    { what: 'keyword only', places: searchPlaces(keywordOnly, 'keyword') },
    { what: 'hybrid (generated embedder)', places: searchPlaces(withEmbedder, 'hybrid') },
    { what: 'tutor path, no embedding model', places: tutorPlaces(keywordOnly) },
    { what: 'tutor path (generated embedder)', places: tutorPlaces(withEmbedder) },
  ];

  const subsets: { name: string; test: (question: RetrievalQuestion) => boolean }[] = [
    { name: 'all', test: () => true },
    { name: 'shares a content word', test: (question) => question.sharesContentWord === true },
    { name: 'paraphrases', test: (question) => question.style === 'paraphrase' },
    ...set.sources.map((source) => ({
      name: source.id,
      test: (q: RetrievalQuestion) => q.source === source.id,
    })),
  ];
  const summary: Record<string, string>[] = [];
  for (const retriever of retrievers) {
    const ranked: { question: RetrievalQuestion; places: RetrievedPlace[] }[] = [];
    for (const question of answerable) {
      const places = await retriever.places(question);
      ranked.push({ question, places });
      if (
        process.env.BENCH_MISSES === retriever.what &&
        !places.slice(0, 3).some((place) => answers(question, place))
      )
        console.log(`miss: ${question.id} "${question.question}" ->`, places.slice(0, 3));
    }
    let unanswered = 0;
    for (const question of uncovered) if ((await retriever.places(question)).length === 0) unanswered++;
    const rows = subsets.map(({ name, test }) => {
      const scores = scoreRankings(ranked.filter(({ question }) => test(question)));
      return {
        questions: `${name} (${scores.questions})`,
        'hit@1': scores['hit@1'].toFixed(2),
        'hit@3': scores['hit@3'].toFixed(2),
        MRR: scores.MRR.toFixed(2),
      };
    });
    printTable(retriever.what, rows);
    const found = ranked.filter(({ places }) => places.length > 0).length;
    summary.push({
      retriever: retriever.what,
      ...Object.fromEntries(
        Object.entries(rows[1]!)
          .filter(([key]) => key !== 'questions')
          .map(([key, value]) => [`${key} (shares a word)`, value]),
      ),
      'hit@3 (all)': rows[0]!['hit@3'],
      'answerable with a passage': `${found}/${answerable.length}`,
      'uncovered with none': `${unanswered}/${uncovered.length}`,
    });
  }
  printTable('Summary', summary);
} finally {
  await embedder.close();
  await tokenizer.close();
  await ocr?.close();
  await releasePdfWorkers();
  storage.remove();
  rmSync(modelDir, { recursive: true, force: true });
}
