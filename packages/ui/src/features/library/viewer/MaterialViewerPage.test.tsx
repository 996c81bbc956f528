import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/App';
import { renderApp } from '../../../test-support/render-app';
import { createLibraryTestEngine, makeMaterial, makePage } from '../test-support/library-test-engine';
import type { PdfDocumentView, PdfSupport } from './pdf-support';
import { viewerPath } from './viewer-link';

const word = (text: string, start: number, x: number) => ({
  text,
  start,
  box: [x, 0.2, 0.1, 0.03] as [number, number, number, number],
});

/** pdf.js as the viewer sees it: pages of US Letter size, a text layer of one span per page. */
function fakePdf(pageCount: number) {
  const renderPage = vi.fn(
    (_page: number, _canvas: HTMLCanvasElement, _width: number, _signal: AbortSignal) => Promise.resolve(),
  );
  const renderTextLayer = vi.fn((page: number, container: HTMLElement, width: number) => {
    const span = document.createElement('span');
    span.textContent = `Selectable text of page ${page} at ${width}px`;
    container.replaceChildren(span);
    return Promise.resolve();
  });
  const close = vi.fn();
  const view: PdfDocumentView = {
    pageCount,
    pageSize: () => Promise.resolve({ width: 612, height: 792 }),
    renderPage,
    renderTextLayer,
    close,
  };
  const pdf: PdfSupport = { open: vi.fn(() => Promise.resolve(view)) };
  return { pdf, renderPage, renderTextLayer, close };
}

const drawnWidths = (renderPage: ReturnType<typeof fakePdf>['renderPage'], page: number) =>
  renderPage.mock.calls
    .filter(([drawn, , width]) => drawn === page && width !== 96)
    .map(([, , width]) => width);

describe('material viewer', () => {
  it('pages through with previous, next and a page number, showing the page text', async () => {
    const material = makeMaterial({ title: 'Lecture 4', type: 'document', pageCount: 3 });
    const engine = createLibraryTestEngine({ materials: [material], files: false });
    engine.pages.set(
      material.id,
      [1, 2, 3].map((n) => makePage(material.id, n, `Text of page ${n}`, { source: 'document' })),
    );
    const { user } = renderApp(engine, viewerPath(material.id));
    expect(await screen.findByRole('heading', { level: 1, name: 'Lecture 4' })).toBeInTheDocument();
    expect(await screen.findByText('Text of page 1')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('Text of page 2')).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();

    const jump = screen.getByLabelText('Go to page');
    await user.clear(jump);
    await user.type(jump, '3{Enter}');
    expect(await screen.findByText('Text of page 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('without file access (the desktop app for now) shows a photo as its text', async () => {
    const photo = makeMaterial({ title: 'Board photo', type: 'image', pageCount: 1 });
    const engine = createLibraryTestEngine({ materials: [photo], files: false });
    engine.pages.set(photo.id, [makePage(photo.id, 1, 'F = m a', { source: 'ocr' })]);
    renderApp(engine, viewerPath(photo.id));
    expect(await screen.findByText('F = m a')).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows a slide’s speaker notes under its text', async () => {
    const slides = makeMaterial({ title: 'Week 2 deck', type: 'slides', pageCount: 1 });
    const engine = createLibraryTestEngine({ materials: [slides], files: false });
    engine.pages.set(slides.id, [
      makePage(slides.id, 1, 'Newton', { source: 'document', notes: 'Mention the apple.' }),
    ]);
    renderApp(engine, viewerPath(slides.id));
    const notes = await screen.findByRole('region', { name: 'Speaker notes' });
    expect(notes).toHaveTextContent('Mention the apple.');
    // One page: nothing to page through, so no "Page 1 of 1" and no paging buttons.
    expect(screen.queryByText(/Page 1 of 1/)).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Pages' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Next page' })).not.toBeInTheDocument();
  });

  it('shows a photo with its OCR words as selectable text and the hit’s words highlighted', async () => {
    const photo = makeMaterial({ title: 'Board photo', type: 'image', pageCount: 1 });
    const engine = createLibraryTestEngine({ materials: [photo] });
    engine.pages.set(photo.id, [
      makePage(photo.id, 1, 'force equals mass', {
        source: 'ocr',
        width: 2000,
        height: 1500,
        words: [word('force', 0, 0.1), word('equals', 6, 0.3), word('mass', 13, 0.5)],
      }),
    ]);
    const { user } = renderApp(engine, viewerPath(photo.id, { spans: [{ page: 1, start: 6, end: 17 }] }));
    const image = await screen.findByRole('img', { name: 'Board photo, page 1' });
    expect(image).toHaveAttribute('src', engine.transport.files!.urlOf(photo.id));
    const layer = document.querySelector('.ocr-text-layer');
    expect(layer).toHaveTextContent('force equals mass');
    const boxes = [...document.querySelectorAll<HTMLElement>('.highlight-box')];
    expect(boxes.map((box) => box.style.left)).toEqual(['30.000%', '50.000%']);

    // A photo zooms as a PDF does: 50 % of its 2000 px.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Zoom' }), '50%');
    expect(document.querySelector<HTMLElement>('.page-stage')?.style.width).toBe('1000px');
  });

  it('draws a PDF page with pdf.js and marks the hit’s words over it', async () => {
    const material = makeMaterial({ title: 'Thermodynamics', type: 'pdf', pageCount: 9 });
    const engine = createLibraryTestEngine({ materials: [material] });
    engine.pages.set(material.id, [
      makePage(material.id, 6, 'the second law', {
        words: [word('the', 0, 0.1), word('second', 4, 0.2), word('law', 11, 0.4)],
      }),
      makePage(material.id, 7, 'next page'),
    ]);
    const { pdf, renderPage } = fakePdf(9);
    window.location.hash = `#${viewerPath(material.id, { spans: [{ page: 6, start: 4, end: 14 }] })}`;
    const user = userEvent.setup();
    render(<App transport={engine.transport} pdf={pdf} />);

    expect(await screen.findByText('Page 6 of 9')).toBeInTheDocument();
    await waitFor(() =>
      expect(renderPage).toHaveBeenCalledWith(6, expect.any(HTMLCanvasElement), 800, expect.any(AbortSignal)),
    );
    expect(pdf.open).toHaveBeenCalledWith(engine.transport.files!.urlOf(material.id));
    await waitFor(() => expect(document.querySelectorAll('.highlight-box')).toHaveLength(2));
    expect(
      within(document.querySelector('.page-text-details') as HTMLElement).getByText('second law'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(renderPage).toHaveBeenLastCalledWith(7, expect.anything(), 800, expect.anything()),
    );
    // The hit is on page 6: nothing is marked on page 7.
    await waitFor(() => expect(document.querySelectorAll('.highlight-box')).toHaveLength(0));
  });

  it('falls back to the page text when the PDF cannot be drawn', async () => {
    const material = makeMaterial({ title: 'Scanned', type: 'pdf', pageCount: 1 });
    const engine = createLibraryTestEngine({ materials: [material] });
    engine.pages.set(material.id, [makePage(material.id, 1, 'Recovered text')]);
    const pdf: PdfSupport = { open: () => Promise.reject(new Error('Invalid PDF structure')) };
    window.location.hash = `#${viewerPath(material.id)}`;
    render(<App transport={engine.transport} pdf={pdf} />);
    expect(
      await screen.findByText(/This PDF could not be drawn here \(Invalid PDF structure\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('Recovered text')).toBeInTheDocument();
  });

  it('pages with the keyboard and refuses a page number that is not in the document', async () => {
    const material = makeMaterial({ title: 'Lecture 5', type: 'document', pageCount: 3 });
    const engine = createLibraryTestEngine({ materials: [material], files: false });
    engine.pages.set(
      material.id,
      [1, 2, 3].map((n) => makePage(material.id, n, `Words of page ${n}`, { source: 'document' })),
    );
    const { user } = renderApp(engine, viewerPath(material.id));
    expect(await screen.findByText('Words of page 1')).toBeInTheDocument();

    await user.keyboard('{PageDown}');
    expect(await screen.findByText('Words of page 2')).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(await screen.findByText('Words of page 3')).toBeInTheDocument();
    await user.keyboard('{ArrowLeft}');
    expect(await screen.findByText('Words of page 2')).toBeInTheDocument();
    await user.keyboard('{Home}');
    expect(await screen.findByText('Words of page 1')).toBeInTheDocument();
    await user.keyboard('{PageUp}');
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();

    const jump = screen.getByLabelText('Go to page');
    await user.clear(jump);
    await user.type(jump, '7{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Type a page number from 1 to 3.');
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
    // Keys typed into the field are the field's, not the viewer's.
    await user.clear(jump);
    await user.type(jump, '{End}');
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
  });

  it('lays pdf.js’s text layer over the page and zooms with the buttons, the menu and the keys', async () => {
    const material = makeMaterial({ title: 'Thermodynamics', type: 'pdf', pageCount: 2 });
    const engine = createLibraryTestEngine({ materials: [material] });
    engine.pages.set(material.id, [makePage(material.id, 1, 'first'), makePage(material.id, 2, 'second')]);
    const { pdf, renderPage, renderTextLayer } = fakePdf(2);
    window.location.hash = `#${viewerPath(material.id)}`;
    const user = userEvent.setup();
    render(<App transport={engine.transport} pdf={pdf} />);

    // Fit width (the column is 800 px here): the canvas and the text layer at the same width.
    await waitFor(() => expect(drawnWidths(renderPage, 1)).toEqual([800]));
    await waitFor(() =>
      expect(document.querySelector('.pdf-text-layer')).toHaveTextContent(
        'Selectable text of page 1 at 800px',
      ),
    );
    expect(renderTextLayer).toHaveBeenCalledWith(1, expect.any(HTMLElement), 800, expect.any(AbortSignal));
    const zoom = screen.getByRole('combobox', { name: 'Zoom' });
    expect(zoom).toHaveDisplayValue('Fit width (131%)');

    // + steps up from the 131 % fit width showed: 150 % of a 612 px page.
    await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    await waitFor(() => expect(drawnWidths(renderPage, 1)).toContain(918));
    expect(zoom).toHaveDisplayValue('150%');
    await user.keyboard('-');
    await waitFor(() => expect(drawnWidths(renderPage, 1)).toContain(765));
    expect(zoom).toHaveDisplayValue('125%');
    await user.keyboard('{Control>}={/Control}');
    await waitFor(() => expect(zoom).toHaveDisplayValue('150%'));
    await user.selectOptions(zoom, '50%');
    await waitFor(() => expect(drawnWidths(renderPage, 1)).toContain(306));
    await waitFor(() =>
      expect(document.querySelector('.pdf-text-layer')).toHaveTextContent(
        'Selectable text of page 1 at 306px',
      ),
    );
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
    await user.keyboard('{Control>}0{/Control}');
    await waitFor(() => expect(zoom).toHaveDisplayValue('Fit width (131%)'));
  });

  it('shows thumbnails of a long PDF, draws only those scrolled into view, and opens a page from one', async () => {
    const seen: { element: Element; callback: IntersectionObserverCallback }[] = [];
    class VisibleOnDemand {
      constructor(private readonly callback: IntersectionObserverCallback) {}
      observe(element: Element) {
        seen.push({ element, callback: this.callback });
      }
      disconnect() {}
    }
    vi.stubGlobal('IntersectionObserver', VisibleOnDemand);
    try {
      const material = makeMaterial({ title: 'Textbook', type: 'pdf', pageCount: 40 });
      const engine = createLibraryTestEngine({ materials: [material] });
      engine.pages.set(
        material.id,
        Array.from({ length: 40 }, (_, i) => makePage(material.id, i + 1, `page ${i + 1}`)),
      );
      const { pdf, renderPage } = fakePdf(40);
      window.location.hash = `#${viewerPath(material.id)}`;
      const user = userEvent.setup();
      render(<App transport={engine.transport} pdf={pdf} />);

      const rail = await screen.findByRole('navigation', { name: 'Page thumbnails' });
      expect(within(rail).getAllByRole('button')).toHaveLength(40);
      expect(within(rail).getByRole('button', { name: 'Page 1' })).toHaveAttribute('aria-current', 'page');
      const thumbnailsDrawn = () =>
        renderPage.mock.calls.filter(([, , width]) => width === 96).map(([p]) => p);
      expect(thumbnailsDrawn()).toEqual([]);

      // The rail reports pages 2 and 3 in view: those two are drawn, the other 38 are not.
      const reveal = (page: number) => {
        const entry = seen.find(({ element }) => element.getAttribute('aria-label') === `Page ${page}`)!;
        act(() =>
          entry.callback(
            [{ isIntersecting: true, target: entry.element } as IntersectionObserverEntry],
            {} as IntersectionObserver,
          ),
        );
      };
      reveal(2);
      reveal(3);
      await waitFor(() => expect(thumbnailsDrawn().sort()).toEqual([2, 3]));

      await user.click(within(rail).getByRole('button', { name: 'Page 12' }));
      expect(await screen.findByText('Page 12 of 40')).toBeInTheDocument();
      expect(within(rail).getByRole('button', { name: 'Page 12' })).toHaveAttribute('aria-current', 'page');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('finds a phrase through the whole document with Ctrl+F, page by page, and says when it is not there', async () => {
    const material = makeMaterial({ title: 'Lecture 6', type: 'document', pageCount: 3 });
    const engine = createLibraryTestEngine({ materials: [material], files: false });
    engine.pages.set(material.id, [
      makePage(material.id, 1, 'Entropy is introduced here.', { source: 'document' }),
      makePage(material.id, 2, 'Nothing on this page.', { source: 'document' }),
      makePage(material.id, 3, 'Entropy again, and entropy once more.', { source: 'document' }),
    ]);
    const { user } = renderApp(engine, viewerPath(material.id, { page: 2 }));
    expect(await screen.findByText('Nothing on this page.')).toBeInTheDocument();

    await user.keyboard('{Control>}f{/Control}');
    const field = screen.getByRole('searchbox', { name: 'Find in this document' });
    expect(field).toHaveFocus();
    await user.type(field, 'entropy');
    // The first match is on page 1: the viewer goes there and marks it as the current one.
    expect(await screen.findByText('1 of 3')).toBeInTheDocument();
    expect(await screen.findByText('Page 1 of 3')).toBeInTheDocument();
    await waitFor(() => expect(document.querySelector('mark.mark-current')).toHaveTextContent('Entropy'));

    await user.keyboard('{Enter}');
    expect(await screen.findByText('2 of 3')).toBeInTheDocument();
    expect(await screen.findByText('Page 3 of 3')).toBeInTheDocument();
    await waitFor(() =>
      expect(document.querySelectorAll('mark.mark-match, mark.mark-current')).toHaveLength(2),
    );
    expect(document.querySelector('mark.mark-current')).toHaveTextContent('Entropy');
    await user.click(screen.getByRole('button', { name: 'Next match' }));
    await waitFor(() => expect(document.querySelector('mark.mark-current')).toHaveTextContent('entropy'));
    expect(screen.getByText('3 of 3')).toBeInTheDocument();
    await user.click(field);
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(await screen.findByText('2 of 3')).toBeInTheDocument();

    await user.clear(field);
    await user.type(field, 'enthalpy');
    expect(await screen.findByText('Not found in this document')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next match' })).toBeDisabled();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('searchbox', { name: 'Find in this document' })).not.toBeInTheDocument();
    expect(document.querySelector('mark')).not.toBeInTheDocument();
  });

  it('asks the tutor about the page shown, in the material’s class', async () => {
    const material = makeMaterial({ title: 'Lecture 7', type: 'document', pageCount: 4 });
    const engine = createLibraryTestEngine({ materials: [material], files: false });
    engine.pages.set(material.id, [makePage(material.id, 3, 'Heat engines', { source: 'document' })]);
    const { user } = renderApp(engine, viewerPath(material.id, { page: 3 }));
    expect(await screen.findByText('Heat engines')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Ask about this page' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Tutor' })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Ask the tutor' })).toHaveValue(
        'About page 3 of “Lecture 7”: ',
      ),
    );
  });

  it('makes a card from the text selected on the page, naming where it came from', async () => {
    const material = makeMaterial({ title: 'Lecture 8', type: 'document', pageCount: 2 });
    const engine = createLibraryTestEngine({ materials: [material], files: false });
    engine.pages.set(material.id, [
      makePage(material.id, 2, 'The Carnot cycle is the most efficient.', { source: 'document' }),
    ]);
    const { user } = renderApp(engine, viewerPath(material.id, { page: 2 }));
    const text = await screen.findByText('The Carnot cycle is the most efficient.');
    const make = screen.getByRole('button', { name: 'Make a card from selection' });
    expect(make).toBeDisabled();

    act(() => {
      document.getSelection()!.selectAllChildren(text);
      document.dispatchEvent(new Event('selectionchange'));
    });
    await waitFor(() => expect(make).toBeEnabled());
    await user.click(make);
    const dialog = await screen.findByRole('dialog', { name: 'New card' });
    expect(within(dialog).getByLabelText('Back')).toHaveValue(
      'The Carnot cycle is the most efficient.\n\n*Lecture 8, page 2*',
    );
  });

  it('says so when the material was deleted', async () => {
    const engine = createLibraryTestEngine();
    renderApp(engine, viewerPath(crypto.randomUUID()));
    expect(await screen.findByRole('heading', { level: 1, name: 'Material not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the library' })).toHaveAttribute('href', '#/library');
  });
});
