import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { contentStems, isContentWord, termsOf } from './keyword-terms.js';
import { tracemonkeyPages } from './test-support/tracemonkey.js';

/** Each word's term as FTS5 stores it, with the keyword index's own tokenizer settings. */
function ftsTerms(words: string[]): string[] {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (?, ?)');
    words.forEach((word, i) => insert.run(i + 1, word));
    const terms = db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').all() as {
      doc: number;
      term: string;
    }[];
    return words.map((_, i) =>
      terms
        .filter((row) => row.doc === i + 1)
        .map((row) => row.term)
        .join(' '),
    );
  } finally {
    db.close();
  }
}

describe('termsOf', () => {
  it('reads every word of a real paper exactly as the FTS5 index stores it', async () => {
    const words = new Set<string>();
    for (const page of await tracemonkeyPages()) {
      for (const word of page.text.match(/[\p{L}\p{N}]+/gu) ?? []) words.add(word);
    }
    for (const word of ['Résumé', 'NAÏVE', 'caffè', 'generalizations', 'happily', 'sky', 'x'.repeat(80)])
      words.add(word);
    const list = [...words];
    expect(list.length).toBeGreaterThan(2000);
    const ours = list.map((word) =>
      termsOf(word)
        .map((term) => term.stem)
        .join(' '),
    );
    const stored = ftsTerms(list);
    const mismatches = list.filter((_, i) => ours[i] !== stored[i]);
    expect(mismatches).toEqual([]);
  });

  it('numbers the words in order, folded to lower case without accents', () => {
    expect(termsOf('The Naïve TRACES, re-traced.')).toEqual([
      { word: 'the', stem: 'the', position: 0 },
      { word: 'naive', stem: 'naiv', position: 1 },
      { word: 'traces', stem: 'trace', position: 2 },
      { word: 're', stem: 're', position: 3 },
      { word: 'traced', stem: 'trace', position: 4 },
    ]);
  });
});

describe('contentStems', () => {
  it('keeps what a question is about, once each', () => {
    expect(contentStems("What is a person's attitude, and why do attitudes change?")).toEqual([
      'person',
      'attitud',
      'chang',
    ]);
    expect(contentStems('What is it about?')).toEqual([]);
    expect(isContentWord('3')).toBe(true);
  });
});
