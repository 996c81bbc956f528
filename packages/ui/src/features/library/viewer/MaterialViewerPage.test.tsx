import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/App';
import { renderApp } from '../../../test-support/render-app';
import { createLibraryTestEngine, makeMaterial, makePage } from '../test-support/library-test-engine';
import type { PdfSupport } from './pdf-support';
import { viewerPath } from './viewer-link';

const word = (text: string, start: number, x: number) => ({
  text,
  start,
  box: [x, 0.2, 0.1, 0.03] as [number, number, number, number],
});

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
    expect(await screen.findByText('Page 1 of 1')).toBeInTheDocument();
    const notes = await screen.findByRole('region', { name: 'Speaker notes' });
    expect(notes).toHaveTextContent('Mention the apple.');
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
    renderApp(engine, viewerPath(photo.id, { spans: [{ page: 1, start: 6, end: 17 }] }));
    const image = await screen.findByRole('img', { name: 'Board photo, page 1' });
    expect(image).toHaveAttribute('src', engine.transport.files!.urlOf(photo.id));
    const layer = document.querySelector('.ocr-text-layer');
    expect(layer).toHaveTextContent('force equals mass');
    const boxes = [...document.querySelectorAll<HTMLElement>('.highlight-box')];
    expect(boxes.map((box) => box.style.left)).toEqual(['30.000%', '50.000%']);
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
    const renderPage = vi.fn(() => Promise.resolve());
    const close = vi.fn();
    const pdf: PdfSupport = { open: vi.fn(() => Promise.resolve({ pageCount: 9, renderPage, close })) };
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

  it('says so when the material was deleted', async () => {
    const engine = createLibraryTestEngine();
    renderApp(engine, viewerPath(crypto.randomUUID()));
    expect(await screen.findByRole('heading', { level: 1, name: 'Material not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the library' })).toHaveAttribute('href', '#/library');
  });
});
