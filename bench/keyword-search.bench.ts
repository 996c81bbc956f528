/**
 * Keyword search (FTS5, bm25) over 100k chunks in the app's real schema (chunks + triggers +
 * chunks_fts), through HybridSearch exactly as the app calls it without an embedding model,
 * against the floor of a bare `MATCH ... ORDER BY rank LIMIT` on the FTS table for the same
 * expression. Chunk texts are 150 words drawn from a Zipf distribution (English stopwords at
 * the top ranks, then 30k pseudo-words), so posting lists have realistic lengths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../scripts/fixtures/make-llama-model.js';
import { defaultMigrationsDir } from '../packages/core/src/db/migrations.js';
import { openDatabase } from '../packages/core/src/db/open-database.js';
import { silentLogger } from '../packages/core/src/logging/logger.js';
import { buildKeywordQuery, isSearchable } from '../packages/core/src/search/fts-query.js';
import { HybridSearch, type SearchRequest } from '../packages/core/src/search/hybrid-search.js';
import { SearchIndex } from '../packages/core/src/search/search-index.js';
import { median, ms, percentile, printTable } from './stats.js';

const MATERIALS = 1_000;
const CHUNKS_PER_MATERIAL = 100;
const WORDS_PER_CHUNK = 150;
const QUERIES = 200;

const random = mulberry32(424242);
const STOPWORDS =
  'the of and to in a is that for it as was with be by on not are this from at or an which'.split(' ');
const SYLLABLES = 'ka lo mi ne ru sa ti vo be da fe gu ha ji ko lu ma no pe qu ri so tu va we xi yo ze'.split(
  ' ',
);
const VOCABULARY = [
  ...STOPWORDS,
  ...Array.from({ length: 30_000 }, (_, i) => {
    let word = '';
    for (let n = i + 7; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  }),
];
// Zipf (s = 1): cumulative weights 1/rank, sampled by binary search.
const cumulative: number[] = [];
VOCABULARY.reduce((sum, _, rank) => (cumulative[rank] = sum + 1 / (rank + 1)), 0);
function zipfWord(): string {
  const target = random() * cumulative.at(-1)!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return VOCABULARY[low]!;
}
const wordAtRank = (from: number, to: number) => VOCABULARY[from + Math.floor(random() * (to - from))]!;

const root = mkdtempSync(join(tmpdir(), 'lm-bench-keyword-'));
const storage = openDatabase({
  dataDir: join(root, 'data'),
  migrationsDir: defaultMigrationsDir(),
  backupsDir: join(root, 'backups'),
  logger: silentLogger(),
});
try {
  const { sqlite } = storage;
  const index = new SearchIndex(sqlite);
  const now = new Date().toISOString();
  const classIds = ['class-a', 'class-b', 'class-small'];

  console.log(`Indexing ${MATERIALS * CHUNKS_PER_MATERIAL} chunks of ${WORDS_PER_CHUNK} words...`);
  const indexingStarted = performance.now();
  for (let m = 0; m < MATERIALS; m++) {
    const id = `material-${m}`;
    const details = {
      title: `Material ${m}`,
      // One material alone in a class: the most selective filter a student can pick.
      classId: m === 0 ? 'class-small' : classIds[m % 2]!,
      materialType: 'pdf',
      addedAt: now,
    } as const;
    const chunks = Array.from({ length: CHUNKS_PER_MATERIAL }, (_, c) => {
      const text = Array.from({ length: WORDS_PER_CHUNK }, zipfWord).join(' ');
      return {
        text,
        heading: `Section ${c % 10}`,
        tokenCount: WORDS_PER_CHUNK,
        pageStart: c + 1,
        pageEnd: c + 1,
        spans: [{ page: c + 1, start: 0, end: text.length }],
      };
    });
    index.replaceSource({ kind: 'material', id }, details, chunks);
  }
  const indexingMs = performance.now() - indexingStarted;
  console.log(`...in ${(indexingMs / 1000).toFixed(1)} s`);
  sqlite.exec("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')"); // as after a big import
  sqlite.pragma('wal_checkpoint(TRUNCATE)');

  const search = new HybridSearch({ sqlite, index, embedder: () => null });
  const bare = sqlite.prepare('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT 20');

  const kinds: { what: string; request: () => SearchRequest }[] = [
    {
      what: 'two rare words (rank 1k-10k)',
      request: () => ({ query: `${wordAtRank(1000, 10000)} ${wordAtRank(1000, 10000)}` }),
    },
    {
      what: 'two common words (rank 20-200)',
      request: () => ({ query: `${wordAtRank(20, 200)} ${wordAtRank(20, 200)}` }),
    },
    { what: 'a stopword and a rare word', request: () => ({ query: `the ${wordAtRank(1000, 10000)}` }) },
    {
      what: 'three mid words (rank 200-2k)',
      request: () => ({ query: [1, 2, 3].map(() => wordAtRank(200, 2000)).join(' ') }),
    },
    {
      what: 'as you type: a 4-letter prefix',
      request: () => ({
        query: `${wordAtRank(100, 1000)} ${wordAtRank(100, 1000).slice(0, 4)}`,
        asYouType: true,
      }),
    },
    {
      what: 'two common words, one class (50%)',
      request: () => ({ query: `${wordAtRank(20, 200)} ${wordAtRank(20, 200)}`, classId: 'class-a' }),
    },
    {
      what: 'two common words, a class of one material (0.1%)',
      request: () => ({ query: `${wordAtRank(20, 200)} ${wordAtRank(20, 200)}`, classId: 'class-small' }),
    },
    {
      what: 'a question: stop words and four mid words',
      request: () => ({
        query: `what is the ${wordAtRank(200, 2000)} of ${wordAtRank(200, 2000)} and why does it ${wordAtRank(200, 2000)} the ${wordAtRank(200, 2000)}?`,
      }),
    },
    { what: 'no match', request: () => ({ query: 'zzzzqqq xxxyyy' }) },
  ];

  const rows: Record<string, string>[] = [];
  for (const kind of kinds) {
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < QUERIES + 10; i++) {
      const request: SearchRequest = { asYouType: false, mode: 'keyword', limit: 20, ...kind.request() };
      const built = buildKeywordQuery(request.query, { prefixLast: request.asYouType ?? false });
      const startedBare = performance.now();
      if (isSearchable(built)) bare.all(built.expression);
      const bareMs = performance.now() - startedBare;
      const started = performance.now();
      await search.search(request);
      const oursMs = performance.now() - started;
      if (i >= 10) {
        ours.push(oursMs);
        floor.push(bareMs);
      }
    }
    rows.push({
      query: kind.what,
      'p50 (ours)': ms(median(ours)),
      'p95 (ours)': ms(percentile(ours, 95)),
      'p95 bare FTS MATCH (floor)': ms(percentile(floor, 95)),
    });
  }
  printTable(
    `Keyword search over ${MATERIALS * CHUNKS_PER_MATERIAL} chunks, top 20 with snippets (${QUERIES} queries each; indexed at ${Math.round((MATERIALS * CHUNKS_PER_MATERIAL) / (indexingMs / 1000))} chunks/s)`,
    rows,
  );
} finally {
  storage.close();
  rmSync(root, { recursive: true, force: true });
}
