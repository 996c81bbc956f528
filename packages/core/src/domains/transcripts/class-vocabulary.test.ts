import { describe, expect, it } from 'vitest';
import { classVocabulary, vocabularyPrompt } from './class-vocabulary.js';

describe('classVocabulary', () => {
  it('keeps names, mixed-case terms and acronyms that recur, most frequent first', () => {
    const terms = classVocabulary([
      'TraceMonkey compiles hot loops. The TraceMonkey tracer records SSA and LIR.',
      'In TraceMonkey, the LIR is turned into native code by nanojit. SpiderMonkey runs the rest.',
      'SpiderMonkey interprets; nanojit emits x86. The LIR buffer and SSA form. Gal and Franz wrote it. Gal again.',
    ]);
    // Three each for TraceMonkey and LIR (ties in alphabetical order), then Gal twice.
    expect(terms.slice(0, 3)).toEqual(['LIR', 'TraceMonkey', 'Gal']);
    expect(terms).toEqual(expect.arrayContaining(['SpiderMonkey', 'SSA']));
    expect(terms).not.toContain('The');
    expect(terms).not.toContain('Franz'); // seen once: not yet a term of the class
    expect(vocabularyPrompt(terms)).toMatch(/^Glossary: LIR, TraceMonkey, Gal/);
  });

  it('is empty for a class without material', () => {
    expect(classVocabulary([])).toEqual([]);
    expect(vocabularyPrompt([])).toBe('');
  });
});
