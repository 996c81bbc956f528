/**
 * Measures retrieval on a labelled query set over tracemonkey.pdf: recall@5 (the share of
 * queries with a passage from the right page among the first five) and MRR, for keyword only,
 * semantic only, and fused rankings.
 *
 *   cd packages/core && npx tsx src/search/test-support/evaluate-fusion.ts
 *
 * Only generated embedding models exist on these machines, so "semantic (generated model)" is
 * the real pipeline with meaningless vectors: it shows what fusion costs when the semantic list
 * is noise. "semantic (simulated)" stands in for a useful embedder (the right passage at rank 1
 * half of the time, rank 2 a quarter..., the rest in random order) to show what fusion gains
 * when it is not. Neither is a claim about bge-small's quality.
 */
import { join } from 'node:path';
import { makeTestEmbeddingModel } from '../../../../../scripts/fixtures/make-embedding-model.js';
import { mulberry32 } from '../../../../../scripts/fixtures/make-llama-model.js';
import { LlamaCppEmbedder } from '../../ai/embedder/llama-cpp-embedder.js';
import { chunkPages } from '../chunker.js';
import { HybridSearch } from '../hybrid-search.js';
import { reciprocalRankFusion } from '../rank-fusion.js';
import { SearchIndex } from '../search-index.js';
import { bgeTokenCounter, materialSource, openLibraryDatabase } from './library.js';
import { tracemonkeyPages } from './tracemonkey.js';
import { loadLlamaRuntime } from '../../ai/llama/llama-runtime.js';

interface LabelledQuery {
  query: string;
  pages: number[];
  kind: 'keyword-style' | 'paraphrase';
}

/** Keyword-style queries reuse the page's words; paraphrases ask as a student would. */
export const TRACEMONKEY_QUERIES: LabelledQuery[] = [
  { kind: 'keyword-style', query: 'punishing runtime overhead exceptions', pages: [6] },
  { kind: 'keyword-style', query: 'object shape guard equality check', pages: [5] },
  { kind: 'keyword-style', query: 'constant folding filter forward pipeline', pages: [8] },
  { kind: 'keyword-style', query: 'trace stitching branch trace side exit', pages: [9] },
  { kind: 'keyword-style', query: 'foreign function interface FFI builtins', pages: [10] },
  { kind: 'keyword-style', query: 'SquirrelFish Extreme V8 speedup', pages: [11] },
  { kind: 'keyword-style', query: 'bitops-3bit-bits-in-byte', pages: [12] },
  { kind: 'keyword-style', query: 'LIR snippet for sample program', pages: [3] },
  { kind: 'keyword-style', query: 'nesting algorithm inner loop trace tree', pages: [7] },
  { kind: 'keyword-style', query: 'Dynamo transparent dynamic optimization system', pages: [14] },
  { kind: 'keyword-style', query: 'integers and doubles representation', pages: [5] },
  { kind: 'keyword-style', query: 'unintended tail duplication code cache', pages: [2] },
  { kind: 'paraphrase', query: 'why stop trying to compile code paths that keep failing', pages: [6] },
  { kind: 'paraphrase', query: 'how are numbers stored when the language has no int type', pages: [5] },
  { kind: 'paraphrase', query: 'which benchmark improved the most', pages: [11, 12] },
  { kind: 'paraphrase', query: 'what happens when compiled code goes back to the interpreter', pages: [9] },
  { kind: 'paraphrase', query: 'how can compiled code call C functions of the browser', pages: [10] },
  { kind: 'paraphrase', query: 'loops inside loops without an explosion of traces', pages: [7] },
  { kind: 'paraphrase', query: 'what optimizations run while recording', pages: [8] },
  { kind: 'paraphrase', query: 'who wrote this paper', pages: [1] },
  { kind: 'paraphrase', query: 'where does the virtual machine spend its time', pages: [13] },
  { kind: 'paraphrase', query: 'what is a trace', pages: [4] },
  { kind: 'paraphrase', query: 'earlier work on tracing for Java', pages: [13] },
  { kind: 'paraphrase', query: 'problem when the inner loop gets hot first', pages: [2] },
];

const DEPTH = 50;
/** Unrelated passages around the paper, so lists of 50 are a small part of a library as in real use. */
const DISTRACTOR_MATERIALS = 20;
const DISTRACTOR_CHUNKS = 100;

export async function evaluateFusion(): Promise<Record<string, string>[]> {
  const storage = openLibraryDatabase();
  const tokenizer = await bgeTokenCounter();
  if (!tokenizer) throw new Error('The bge vocabulary is needed (git and node-llama-cpp).');
  const modelDir = join(storage.file, '..');
  const embedder = await LlamaCppEmbedder.load({
    modelPath: makeTestEmbeddingModel(modelDir).path,
    modelId: 'generated',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  });
  try {
    const index = new SearchIndex(storage.sqlite);
    const paper = materialSource({ title: 'tracemonkey' });
    const chunks = chunkPages(await tracemonkeyPages(), { countTokens: tokenizer.countTokens });
    const ids = index.replaceSource(paper.ref, paper.details, chunks);
    const pagesOf = new Map(ids.map((id, i) => [id, chunks[i]!.spans.map((span) => span.page)]));
    const random = mulberry32(5);
    const allIds = [...ids];
    for (let m = 0; m < DISTRACTOR_MATERIALS; m++) {
      const distractor = materialSource({ title: `Other notes ${m}` });
      allIds.push(...index.replaceSource(distractor.ref, distractor.details, distractorChunks(random)));
    }
    await index.embedPending(embedder);
    const search = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => embedder });

    const rankings: Record<string, number[][]> = {};
    let matchedAllCount = 0;
    const add = (name: string, ranking: number[]) => (rankings[name] ??= []).push(ranking);
    for (const labelled of TRACEMONKEY_QUERIES) {
      const ask = async (mode: 'keyword' | 'semantic' | 'hybrid') =>
        (await search.search({ query: labelled.query, mode, limit: DEPTH, asYouType: false })).hits.map(
          (hit) => hit.chunkId,
        );
      const keyword = await ask('keyword');
      const semantic = await ask('semantic');
      const simulated = simulatedSemantic(allIds, (id) => relevant(pagesOf, id, labelled.pages), random);
      add('keyword only', keyword);
      add('semantic only (generated model)', semantic);
      add('RRF k=60: keyword + generated', fuse(keyword, semantic));
      add('keyword first, then generated', [...new Set([...keyword, ...semantic])]);
      add('semantic only (simulated useful model)', simulated);
      add('RRF k=60: keyword + simulated', fuse(keyword, simulated));
      add('RRF k=60, semantic weight 0.5: keyword + simulated', fuse(keyword, simulated, 0.5));
      add('keyword first, then simulated', [...new Set([...keyword, ...simulated])]);
      // What HybridSearch does: semantic at half weight when a passage holds every word.
      const best = (
        await search.search({ query: labelled.query, mode: 'keyword', limit: 1, asYouType: false })
      ).hits[0];
      const matchedAll = best?.keywordMatch?.coverage === 1;
      const adaptive = matchedAll ? 0.5 : 1;
      add('ours, HybridSearch hybrid mode: + generated', await ask('hybrid'));
      add('ours (same fusion): + simulated', fuse(keyword, simulated, adaptive));
      matchedAllCount += matchedAll ? 1 : 0;
    }

    console.log(`${matchedAllCount} of ${TRACEMONKEY_QUERIES.length} queries matched all their words`);
    return Object.entries(rankings).map(([retriever, lists]) => {
      const row: Record<string, string> = { retriever };
      for (const kind of ['keyword-style', 'paraphrase', 'all'] as const) {
        const picked = TRACEMONKEY_QUERIES.map((query, i) => ({ query, list: lists[i]! })).filter(
          ({ query }) => kind === 'all' || query.kind === kind,
        );
        const ranks = picked.map(({ query, list }) => {
          const at = list.findIndex((id) => relevant(pagesOf, id, query.pages));
          return at === -1 ? Infinity : at + 1;
        });
        const recall = ranks.filter((rank) => rank <= 5).length / ranks.length;
        const mrr = ranks.reduce((sum, rank) => sum + (rank === Infinity ? 0 : 1 / rank), 0) / ranks.length;
        row[`${kind} R@5`] = recall.toFixed(2);
        row[`${kind} MRR`] = mrr.toFixed(2);
      }
      return row;
    });
  } finally {
    await embedder.close();
    await tokenizer.close();
    storage.remove();
  }
}

/** Passages of English function words and made-up words: they share only common words with the paper. */
function distractorChunks(random: () => number) {
  const common =
    'the of and to in a is that for it as was with be by on not are this from at or an which we can'.split(
      ' ',
    );
  const syllables = 'ka lo mi ne ru sa ti vo be da fe gu ha ji ko lu ma no pe ri so tu va'.split(' ');
  const word = () =>
    random() < 0.4
      ? common[Math.floor(random() * common.length)]!
      : Array.from(
          { length: 2 + Math.floor(random() * 2) },
          () => syllables[Math.floor(random() * syllables.length)],
        ).join('');
  return Array.from({ length: DISTRACTOR_CHUNKS }, () => {
    const text = Array.from({ length: 150 }, word).join(' ');
    return {
      text,
      heading: null,
      tokenCount: 200,
      pageStart: 1,
      pageEnd: 1,
      spans: [{ page: 1, start: 0, end: text.length }],
    };
  });
}

const relevant = (pagesOf: Map<number, number[]>, id: number, pages: number[]) =>
  (pagesOf.get(id) ?? []).some((page) => pages.includes(page));

const fuse = (keyword: number[], semantic: number[], semanticWeight = 1) =>
  reciprocalRankFusion([
    { source: 'keyword', ids: keyword },
    { source: 'semantic', ids: semantic, weight: semanticWeight },
  ]).map((result) => result.id);

/** A stand-in for a useful embedder: a relevant passage at rank r with probability 2^-r, the rest shuffled. */
function simulatedSemantic(
  ids: number[],
  isRelevant: (id: number) => boolean,
  random: () => number,
): number[] {
  const shuffled = [...ids].sort(() => random() - 0.5);
  const target = shuffled.find(isRelevant);
  if (target === undefined) return shuffled.slice(0, DEPTH);
  let rank = 0;
  while (random() < 0.5 && rank < DEPTH - 1) rank++;
  const rest = shuffled.filter((id) => id !== target);
  rest.splice(rank, 0, target);
  return rest.slice(0, DEPTH);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await evaluateFusion());
}
