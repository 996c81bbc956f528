import { describe, expect, it } from 'vitest';
import { FIT_PAGE, FIT_WIDTH, pageWidthFor, stepZoom, zoomLabel } from './zoom';

const letter = { width: 612, height: 792 };

describe('viewer zoom', () => {
  it('fits the page to the column, or whole into the window, or draws it at a scale', () => {
    expect(pageWidthFor(FIT_WIDTH, letter, { width: 900, height: 600 })).toBe(900);
    // 600 px high at the letter page's proportions is 464 px wide.
    expect(pageWidthFor(FIT_PAGE, letter, { width: 900, height: 600 })).toBe(464);
    // A short, wide window: the column's width is the limit.
    expect(pageWidthFor(FIT_PAGE, letter, { width: 300, height: 2000 })).toBe(300);
    expect(pageWidthFor({ scale: 1.5 }, letter, { width: 300, height: 300 })).toBe(918);
  });

  it('steps + and − from wherever the page is now, and stops at the ends', () => {
    expect(stepZoom(1, 1)).toEqual({ scale: 1.1 });
    expect(stepZoom(1, -1)).toEqual({ scale: 0.9 });
    // Fit width showed the page at 1.37: + goes to the next step above it, − to the one below.
    expect(stepZoom(1.37, 1)).toEqual({ scale: 1.5 });
    expect(stepZoom(1.37, -1)).toEqual({ scale: 1.25 });
    expect(stepZoom(3, 1)).toEqual({ scale: 3 });
    expect(stepZoom(0.5, -1)).toEqual({ scale: 0.5 });
    expect(zoomLabel(1.25)).toBe('125%');
  });
});
