import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END as END, SNIPPET_MARK_START as START } from '@little-monster/core/contract';
import { snippetSegments } from './snippet';

describe('search snippets', () => {
  it('turns the engine’s markers into marked runs', () => {
    expect(snippetSegments(`The ${START}second law${END} says ${START}entropy${END}.`)).toEqual([
      { text: 'The ', marked: false },
      { text: 'second law', marked: true },
      { text: ' says ', marked: false },
      { text: 'entropy', marked: true },
      { text: '.', marked: false },
    ]);
  });

  it('drops stray markers and keeps everything else as text', () => {
    expect(snippetSegments(`${END}a <b>${START}c`)).toEqual([
      { text: 'a <b>', marked: false },
      { text: 'c', marked: true },
    ]);
  });
});
