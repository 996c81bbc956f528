import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEmbeddingModel } from '../../../../scripts/fixtures/make-embedding-model.js';
import { LlamaCppEmbedder } from '../ai/embedder/llama-cpp-embedder.js';
import type { LoadedTokenCounter } from '../ai/tokenizer/vocabulary-token-counter.js';
import type { ExtractedPage } from '../ingest/extracted-document.js';
import { tempDir } from '../test-support/temp-core.js';
import { chunkPages } from './chunker.js';
import { HybridSearch, MARK_END, MARK_START, type SearchHit, type SearchRequest } from './hybrid-search.js';
import { SearchIndex } from './search-index.js';
import {
  bgeTokenCounter,
  materialSource,
  openLibraryDatabase,
  type MaterialFixture,
} from './test-support/library.js';
import { tracemonkeyPages } from './test-support/tracemonkey.js';
import { loadLlamaRuntime } from '../ai/llama/llama-runtime.js';

let models: ReturnType<typeof tempDir>;
let embedder: LlamaCppEmbedder;
let tokenizer: LoadedTokenCounter;
let storage: ReturnType<typeof openLibraryDatabase>;
let index: SearchIndex;
let keywordOnly: HybridSearch;
let broadFilters: HybridSearch;
let hybrid: HybridSearch;

const ids = {} as Record<'cells' | 'photo' | 'revolution' | 'unfiled' | 'lecture', string>;
const classes = {} as Record<'biology' | 'history', string>;

const page = (number: number, text: string): ExtractedPage => ({
  number,
  text,
  blocks: [],
  words: [],
  source: 'text-layer',
});

function add(material: MaterialFixture, ...texts: string[]): string {
  const { ref, details } = materialSource(material);
  const chunks = chunkPages(
    texts.map((text, i) => page(i + 1, text)),
    { countTokens: tokenizer.countTokens },
  );
  index.replaceSource(ref, details, chunks);
  return ref.id;
}

beforeAll(async () => {
  models = tempDir('lm-hybrid-models-');
  embedder = await LlamaCppEmbedder.load({
    modelPath: makeTestEmbeddingModel(models.path).path,
    modelId: 'test-embedding',
    threads: 1,
    runtime: await loadLlamaRuntime('off'),
  });
  const loaded = await bgeTokenCounter();
  if (!loaded)
    throw new Error('The bge vocabulary could not be extracted from node-llama-cpp (is git installed?)');
  tokenizer = loaded;
  storage = openLibraryDatabase();
  index = new SearchIndex(storage.sqlite);
  keywordOnly = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => null });
  broadFilters = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => null, fewSources: 0 });
  hybrid = new HybridSearch({ sqlite: storage.sqlite, index, embedder: () => embedder });

  classes.biology = randomUUID();
  classes.history = randomUUID();
  ids.cells = add(
    {
      title: 'Cell biology notes',
      classId: classes.biology,
      type: 'document',
      importedAt: '2026-01-10T09:00:00.000Z',
    },
    'Mitochondria are the powerhouse of the cell. They make energy from glucose.',
  );
  ids.photo = add(
    {
      title: 'Whiteboard photo',
      classId: classes.biology,
      type: 'image',
      importedAt: '2026-02-20T15:30:00.000Z',
    },
    'The cell membrane controls what enters the cell.',
  );
  ids.revolution = add(
    {
      title: 'French Revolution',
      classId: classes.history,
      type: 'pdf',
      importedAt: '2026-02-21T08:00:00.000Z',
    },
    'The French Revolution began in 1789 with the storming of the Bastille.',
    'The cell of a prisoner in the Bastille was small.',
  );
  ids.unfiled = add(
    { title: 'Loose note', classId: null, type: 'text', importedAt: '2026-03-01T10:00:00.000Z' },
    'A note about the cell phone policy in the library.',
  );
  // A lecture's transcript: a source of another kind, placed by time.
  ids.lecture = randomUUID();
  index.replaceSource(
    { kind: 'lecture', id: ids.lecture },
    { title: 'Lecture 3', classId: classes.biology, materialType: null, addedAt: '2026-02-22T09:00:00.000Z' },
    [
      {
        text: 'Today we look at how a cell divides: mitosis, then cytokinesis.',
        heading: null,
        tokenCount: 14,
        pageStart: null,
        pageEnd: null,
        spans: [],
        timeStartMs: 754_600,
        timeEndMs: 761_200,
      },
    ],
  );
  const tracemonkey = materialSource({ title: 'tracemonkey', type: 'pdf' });
  index.replaceSource(
    tracemonkey.ref,
    tracemonkey.details,
    chunkPages(await tracemonkeyPages(), { countTokens: tokenizer.countTokens }),
  );
});
afterAll(async () => {
  storage?.remove();
  await embedder?.close();
  await tokenizer?.close();
  models.remove();
});

const sourcesOf = (hits: SearchHit[]) => [...new Set(hits.map((hit) => hit.ref.id))];
const search = (request: SearchRequest, engine = keywordOnly) =>
  engine.search({ asYouType: false, ...request });

describe('keyword search in a real paper', () => {
  it('a search for a phrase on page 6 returns page 6 first, its words marked in the snippet', async () => {
    const { hits, semanticAvailable } = await search({ query: 'punishing runtime overhead' });
    expect(semanticAvailable).toBe(false);
    const first = hits[0]!;
    expect(first).toMatchObject({ title: 'tracemonkey', ref: { kind: 'material' }, materialType: 'pdf' });
    const onPage6 = first.location.kind === 'pages' && first.location.spans.find((span) => span.page === 6);
    expect(onPage6).toBeTruthy();
    expect(first.snippet).toContain(`${MARK_START}punishing${MARK_END}`);
    expect(first.matchedBy).toEqual(['keyword']);
  });

  it('ranks the section about a topic first for a topical query', async () => {
    const { hits } = await search({ query: 'blacklisting traces that fail' });
    expect(hits[0]!.heading).toMatch(/Blacklisting/);
  });

  it('finds words as they are being typed, through the stemmer', async () => {
    for (const typed of ['blacklis', 'traci', 'punishi']) {
      const { hits } = await keywordOnly.search({ query: `runtime ${typed}`, asYouType: true });
      expect(hits.length, typed).toBeGreaterThan(0);
    }
  });
});

describe('keyword search', () => {
  it('finds every word first, then any of them', async () => {
    const { hits } = await search({ query: 'mitochondria bastille' });
    expect(sourcesOf(hits).sort()).toEqual([ids.cells, ids.revolution].sort());
    const both = await search({ query: 'revolution bastille' });
    expect(both.hits[0]!.ref.id).toBe(ids.revolution);
  });

  it('places a lecture’s passage by the seconds it was said, and a document’s by its pages', async () => {
    const { hits } = await search({ query: 'cytokinesis' });
    expect(hits[0]).toMatchObject({
      ref: { kind: 'lecture', id: ids.lecture },
      title: 'Lecture 3',
      materialType: null,
      location: { kind: 'time', startSec: 754.6, endSec: 761.2 },
    });
    const [cells] = (await search({ query: 'powerhouse' })).hits;
    expect(cells).toMatchObject({
      ref: { kind: 'material', id: ids.cells },
      materialType: 'document',
      location: { kind: 'pages', pageStart: 1, pageEnd: 1 },
    });
  });

  it('matches accented and unaccented spellings and word forms', async () => {
    const { hits } = await search({ query: 'MITOCHÓNDRIA powerhouses' });
    expect(hits[0]!.ref.id).toBe(ids.cells);
  });

  it.each([
    ['material by material', () => keywordOnly],
    ['in rank order, filtering on the way', () => broadFilters],
  ])('filters by class, by no class, by type and by import date (%s)', async (_strategy, engine) => {
    const search = (request: SearchRequest) => engine().search({ asYouType: false, ...request });
    const all = sourcesOf((await search({ query: 'cell' })).hits);
    expect(all).toHaveLength(5);
    expect(sourcesOf((await search({ query: 'cell', classId: classes.biology })).hits).sort()).toEqual(
      [ids.cells, ids.photo, ids.lecture].sort(),
    );
    expect(sourcesOf((await search({ query: 'cell', kinds: ['lecture'] })).hits)).toEqual([ids.lecture]);
    expect(sourcesOf((await search({ query: 'cell', classId: 'unfiled' })).hits)).toEqual([ids.unfiled]);
    expect(sourcesOf((await search({ query: 'cell', types: ['image', 'text'] })).hits).sort()).toEqual(
      [ids.photo, ids.unfiled].sort(),
    );
    const february = await search({ query: 'cell', importedFrom: '2026-02-01', importedTo: '2026-02-20' });
    expect(sourcesOf(february.hits)).toEqual([ids.photo]);
    const later = await search({ query: 'cell', importedFrom: '2026-02-21T00:00:00.000Z' });
    expect(sourcesOf(later.hits).sort()).toEqual([ids.revolution, ids.unfiled, ids.lecture].sort());
    const ranked = await search({ query: 'cell', classId: classes.biology });
    expect(ranked.hits.map((hit) => hit.score)).toEqual(
      [...ranked.hits.map((hit) => hit.score)].sort((a, b) => b - a),
    );
  });

  it('treats quotes, operators and SQL in the query as plain words', async () => {
    const nasty = [
      '"unbalanced quote',
      'cell -membrane',
      'cell*',
      '* ** ***',
      'NEAR(cell membrane, 2)',
      'cell AND OR NOT',
      'title:cell',
      '^cell',
      "'); DROP TABLE chunks; --",
      '(((',
      'cell + membrane {x}',
      '\u0002cell\u0003',
    ];
    for (const query of nasty) {
      await expect(search({ query }), query).resolves.toBeDefined();
    }
    expect((await search({ query: 'cell -membrane' })).hits[0]!.ref.id).toBe(ids.photo);
    expect((await search({ query: '"cell membrane"' })).hits.map((hit) => hit.ref.id)).toEqual([ids.photo]);
    expect((await search({ query: '--- ***' })).hits).toEqual([]);
    expect(storage.sqlite.prepare('SELECT count(*) FROM chunks').pluck().get()).toBeGreaterThan(4);
  });
});

describe('queries that are not a few words', () => {
  it('says to type a few words for stop words, punctuation or emoji alone, instead of an error', async () => {
    for (const query of ['the of and', 'what is it?', '?!... --', '🙂🙂🙂', '"" ** ::']) {
      const results = await search({ query });
      expect(results.hits, query).toEqual([]);
      expect(results.notice, query).toMatch(/Type a few words/);
    }
  });

  it('answers a pasted page of 10,000 characters by its first words', async () => {
    const page =
      `Mitochondria make energy for the cell. ${'The cell divides again and again. '.repeat(300)}`.slice(
        0,
        10_000,
      );
    const { hits, notice } = await search({ query: page });
    expect(notice).toBeUndefined();
    expect(hits[0]!.ref.id).toBe(ids.cells);
  });

  it('finds words among emoji and stop words', async () => {
    const { hits } = await search({ query: '🙂 what are the mitochondria? 🔬' });
    expect(hits[0]!.ref.id).toBe(ids.cells);
  });
});

describe('search by meaning', () => {
  beforeAll(async () => {
    await index.embedPending(embedder);
  });

  it('is unavailable without an embedding model, and then answers by keyword in every mode', async () => {
    const { hits, semanticAvailable } = await keywordOnly.search({ query: 'mitochondria', mode: 'semantic' });
    expect(semanticAvailable).toBe(false);
    expect(hits[0]).toMatchObject({ ref: { id: ids.cells }, matchedBy: ['keyword'] });
  });

  it('finds the passage nearest the query vector', async () => {
    const text = 'Mitochondria are the powerhouse of the cell. They make energy from glucose.';
    const { hits, semanticAvailable } = await hybrid.search({ query: text, mode: 'semantic' });
    expect(semanticAvailable).toBe(true);
    expect(hits[0]).toMatchObject({ ref: { id: ids.cells }, matchedBy: ['semantic'] });
    expect(hits[0]!.snippet).not.toContain(MARK_START);
  });

  it('fuses keyword and semantic lists into one list without duplicates', async () => {
    const text = 'The cell membrane controls what enters the cell.';
    const { hits } = await hybrid.search({ query: text, limit: 50 });
    expect(hits[0]).toMatchObject({ ref: { id: ids.photo }, matchedBy: ['keyword', 'semantic'] });
    const chunkIds = hits.map((hit) => hit.chunkId);
    expect(new Set(chunkIds).size).toBe(chunkIds.length);
    expect(hits.some((hit) => hit.matchedBy.length === 1 && hit.matchedBy[0] === 'semantic')).toBe(true);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });

  it('applies filters to semantic hits, whether it reads the vectors in the filter or filters a shortlist', async () => {
    const overFetching = new HybridSearch({
      sqlite: storage.sqlite,
      index,
      embedder: () => embedder,
      shortlistFromShare: 0,
    });
    const request: SearchRequest = {
      query: 'energy from glucose',
      mode: 'semantic',
      classId: classes.history,
      limit: 1,
    };
    const filterFirst = await hybrid.search(request);
    const overFetched = await overFetching.search(request);
    expect(sourcesOf(filterFirst.hits)).toEqual([ids.revolution]);
    expect(filterFirst.hits).toHaveLength(1);
    expect(overFetched.hits.map((hit) => hit.chunkId)).toEqual(filterFirst.hits.map((hit) => hit.chunkId));
  });

  it('keeps answering by keyword when the embedder fails', async () => {
    const failing = new HybridSearch({
      sqlite: storage.sqlite,
      index,
      embedder: () => ({
        modelId: embedder.modelId,
        dimensions: embedder.dimensions,
        countTokens: (text: string) => embedder.countTokens(text),
        close: async () => {},
        embed: () => Promise.reject(new Error('the model crashed')),
        embedQuery: () => Promise.reject(new Error('the model crashed')),
      }),
    });
    const { hits } = await failing.search({ query: 'mitochondria' });
    expect(hits[0]).toMatchObject({ ref: { id: ids.cells }, matchedBy: ['keyword'] });
  });
});
