import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END as END, SNIPPET_MARK_START as START } from '@little-monster/core/contract';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import {
  createLibraryTestEngine,
  makeHit,
  makeMaterial,
  makePage,
  onPage,
} from '../library/test-support/library-test-engine';

function setup({ semanticAvailable = true } = {}) {
  const physics = makeClass({ name: 'Physics' });
  const material = makeMaterial({ title: 'Thermodynamics', classId: physics.id, pageCount: 10 });
  const engine = createLibraryTestEngine({ classes: [physics], materials: [material] });
  //                  0         1         2         3         4
  //                  01234567890123456789012345678901234567890123
  const pageText = 'Chapter 3. The second law: entropy increases.';
  engine.pages.set(material.id, [makePage(material.id, 6, pageText)]);
  engine.search = {
    semanticAvailable,
    hits: [
      makeHit({
        materialId: material.id,
        title: material.title,
        classId: physics.id,
        location: onPage(6, [{ page: 6, start: 15, end: 25 }]),
        snippet: `The ${START}second law${END} <script>alert(1)</script> of ${START}entropy${END}`,
        matchedBy: ['keyword', 'semantic'],
      }),
    ],
  };
  return { engine, material, physics };
}

describe('Library search', () => {
  it('shows hits with their marks as text (a snippet’s <script> stays words), title, class, page and how they matched', async () => {
    const { engine } = setup();
    const { user } = renderApp(engine, '/library');
    await user.type(await screen.findByRole('searchbox', { name: 'Search your library' }), 'entropy');

    const results = await screen.findByRole('list', { name: 'Results' });
    const hit = within(results).getByRole('listitem', { name: 'Thermodynamics' });
    expect(hit).toHaveTextContent('Physics');
    expect(hit).toHaveTextContent('p. 6');
    expect(hit).toHaveTextContent('Keyword');
    expect(hit).toHaveTextContent('Meaning');
    expect([...hit.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
      'second law',
      'entropy',
    ]);
    expect(hit).toHaveTextContent('The second law <script>alert(1)</script> of entropy');
    expect(document.querySelector('script')).toBeNull();
    expect(screen.queryByText(/Searching by keyword/)).not.toBeInTheDocument();
    // One call for the settled query, not one per letter.
    expect(engine.callsTo('search.query')).toEqual([{ query: 'entropy' }]);
  });

  it('says calmly that it searches by keyword only when no embedding model is installed', async () => {
    const { engine } = setup({ semanticAvailable: false });
    const { user } = renderApp(engine, '/library');
    await user.type(await screen.findByRole('searchbox', { name: 'Search your library' }), 'entropy');
    const note = await screen.findByText(/Searching by keyword\./);
    expect(note).toHaveTextContent(
      'Searching by keyword. Install an embedding model in Settings › Models to also search by meaning.',
    );
    expect(within(note).getByRole('link', { name: 'Settings › Models' })).toHaveAttribute(
      'href',
      '#/settings/models',
    );
  });

  it('says what to type when the query holds nothing to search for', async () => {
    const { engine } = setup();
    engine.search = {
      semanticAvailable: true,
      hits: [],
      notice: 'Those words are too common to search for. Type a few words about the topic.',
    };
    const { user } = renderApp(engine, '/library');
    await user.type(await screen.findByRole('searchbox', { name: 'Search your library' }), 'what is it');
    expect(
      await screen.findByText('Those words are too common to search for. Type a few words about the topic.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Nothing found/)).not.toBeInTheDocument();
  });

  it('narrows the search by class, type and import dates', async () => {
    const { engine, physics } = setup();
    const { user } = renderApp(engine, '/library');
    await user.type(await screen.findByRole('searchbox', { name: 'Search your library' }), 'law');
    await screen.findByRole('list', { name: 'Results' });
    await user.selectOptions(screen.getByLabelText('Class'), 'Physics');
    await user.selectOptions(screen.getByLabelText('Type'), 'PDF');
    await user.type(screen.getByLabelText('Imported from'), '2026-09-01');
    await user.type(screen.getByLabelText('Imported until'), '2026-09-30');
    await waitFor(() =>
      expect(engine.callsTo('search.query').at(-1)).toEqual({
        query: 'law',
        classId: physics.id,
        types: ['pdf'],
        // The student's local days (tests run in Los Angeles time), as exact UTC instants.
        importedFrom: '2026-09-01T07:00:00.000Z',
        importedTo: '2026-10-01T06:59:59.999Z',
      }),
    );
  });

  it('opens a hit in the viewer at its page with its text highlighted', async () => {
    const { engine } = setup();
    const { user } = renderApp(engine, '/library');
    await user.type(await screen.findByRole('searchbox', { name: 'Search your library' }), 'entropy');
    const results = await screen.findByRole('list', { name: 'Results' });
    await user.click(within(results).getByRole('link', { name: 'Thermodynamics' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Thermodynamics' })).toBeInTheDocument();
    expect(await screen.findByText('Page 6 of 10')).toBeInTheDocument();
    const marks = await waitFor(() => {
      const found = [...document.querySelectorAll('.page-text mark')];
      expect(found).not.toHaveLength(0);
      return found;
    });
    expect(marks.map((mark) => mark.textContent)).toEqual(['second law']);
    expect(engine.callsTo('materials.page')).toContainEqual({ id: engine.materials[0]!.id, page: 6 });

    // Back keeps the search.
    window.history.back();
    expect(await screen.findByRole('searchbox', { name: 'Search your library' })).toHaveValue('entropy');
  });
});
