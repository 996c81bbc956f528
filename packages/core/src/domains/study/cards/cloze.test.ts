import { describe, expect, it } from 'vitest';
import { ClozeSyntaxError, clozeCardNumbers, clozeFullText, parseCloze, renderCloze } from './cloze.js';

const front = (text: string, number: number) => renderCloze(parseCloze(text), number, 'front');
const back = (text: string, number: number) => renderCloze(parseCloze(text), number, 'back');

describe('cloze deletions', () => {
  it('makes one card per distinct number and hides only that number on each', () => {
    const text = 'The {{c1::mitochondria}} makes {{c2::ATP}} and {{c1::heat}}.';
    expect(clozeCardNumbers(parseCloze(text))).toEqual([1, 2]);
    expect(front(text, 1)).toBe('The **[…]** makes ATP and **[…]**.');
    expect(back(text, 1)).toBe('The **mitochondria** makes ATP and **heat**.');
    expect(front(text, 2)).toBe('The mitochondria makes **[…]** and heat.');
    expect(clozeFullText(parseCloze(text))).toBe('The mitochondria makes ATP and heat.');
  });

  it('shows a hint in place of the blank', () => {
    expect(front('Capital: {{c1::Paris::city}}', 1)).toBe('Capital: **[city]**');
    expect(back('Capital: {{c1::Paris::city}}', 1)).toBe('Capital: **Paris**');
  });

  it('hides a deletion on every card it names, and nested deletions on their own cards', () => {
    const text = '{{c1,3::outer {{c2::inner}} end}}';
    expect(clozeCardNumbers(parseCloze(text))).toEqual([1, 2, 3]);
    expect(front(text, 1)).toBe('**[…]**');
    expect(front(text, 3)).toBe('**[…]**');
    expect(front(text, 2)).toBe('outer **[…]** end');
    expect(back(text, 1)).toBe('**outer inner end**');
  });

  it('keeps braces that close nothing as text, so LaTeX survives', () => {
    const text = 'Solve $x^{2}}$ then {{c1::$\\frac{a}{b}$}}';
    expect(back(text, 1)).toBe('Solve $x^{2}}$ then **$\\frac{a}{b}$**');
  });

  it('refuses a deletion that is never closed, naming where it starts', () => {
    const text = 'Plants make {{c1::glucose from light';
    expect(() => parseCloze(text)).toThrow(ClozeSyntaxError);
    try {
      parseCloze(text);
    } catch (error) {
      expect((error as ClozeSyntaxError).offset).toBe(12);
      expect((error as Error).message).toContain('{{c1::glucose from light" is never closed');
    }
  });

  it('treats malformed openers as text and finds no cards in plain text', () => {
    expect(clozeCardNumbers(parseCloze('{{c::x}} and {{c0::y}} and {{Front}}'))).toEqual([]);
    expect(clozeCardNumbers(parseCloze(''))).toEqual([]);
  });
});
