import { describe, expect, it } from 'vitest';
import { ClozeSyntaxError } from './cloze.js';
import { cardOrdinals, cardSides, duplicateKey, plainText, type NoteContent } from './note-content.js';

describe('the cards a note makes', () => {
  it('makes one card for basic, two for reversed, one per cloze number and one per mask group', () => {
    expect(cardOrdinals({ kind: 'basic', front: 'Q', back: 'A' })).toEqual([0]);
    expect(cardOrdinals({ kind: 'basic-reversed', front: 'Q', back: 'A' })).toEqual([0, 1]);
    expect(cardOrdinals({ kind: 'cloze', text: '{{c2::b}} {{c1::a}} {{c2::c}}', extra: '' })).toEqual([0, 1]);
    const masks = [3, 1, 3].map((group) => ({ group, x: 0, y: 0, width: 0.1, height: 0.1 }));
    expect(cardOrdinals({ kind: 'image-occlusion', image: 'x.png', masks, header: '', back: '' })).toEqual([
      0, 2,
    ]);
    expect(() => cardOrdinals({ kind: 'cloze', text: '{{c1::open', extra: '' })).toThrow(ClozeSyntaxError);
  });

  it('shows each card its side: reversed cards swap, cloze cards hide their number', () => {
    const reversed: NoteContent = { kind: 'basic-reversed', front: 'HCl', back: 'hydrochloric acid' };
    expect(cardSides(reversed, 1)).toEqual({ front: 'hydrochloric acid', back: 'HCl' });
    const cloze: NoteContent = {
      kind: 'cloze',
      text: 'The {{c1::nucleus}} holds {{c2::DNA}}',
      extra: 'Biology 101',
    };
    expect(cardSides(cloze, 1)).toEqual({
      front: 'The nucleus holds **[…]**',
      back: 'The nucleus holds **DNA**\n\nBiology 101',
    });
  });
});

describe('duplicates and search text', () => {
  it('reads the first field without markup, case or spacing', () => {
    expect(plainText('What is **pH**?  Look at $x^2$ and ![a flask](f.png)')).toBe(
      'What is pH? Look at x^2 and a flask',
    );
    expect(duplicateKey({ kind: 'basic', front: 'What is  **pH**?', back: '1' })).toBe(
      duplicateKey({ kind: 'basic-reversed', front: 'what is pH?', back: '2' }),
    );
    expect(duplicateKey({ kind: 'cloze', text: 'The {{c1::Nucleus}}', extra: '' })).toBe('the nucleus');
  });
});
