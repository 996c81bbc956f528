import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import {
  createLibraryTestEngine,
  makeHit,
  makeMaterial,
  makePage,
  onPage,
} from '../library/test-support/library-test-engine';

const palette = () => screen.findByRole('dialog', { name: 'Command palette' });

describe('command palette', () => {
  it('opens with Ctrl+K from anywhere, filters commands as you type, and runs one with Enter', async () => {
    const { user } = renderApp(createLibraryTestEngine(), '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await palette();
    const input = within(dialog).getByRole('combobox');
    expect(input).toHaveFocus();
    expect(within(dialog).getByRole('option', { name: 'Library' })).toBeInTheDocument();
    expect(within(dialog).getByRole('option', { name: 'New class' })).toBeInTheDocument();
    expect(within(dialog).getByRole('option', { name: 'Import files' })).toBeInTheDocument();
    // The rest of the app is out of reach while it is open.
    expect(document.querySelector('.app-shell')).toHaveAttribute('inert');

    await user.type(input, 'sett');
    expect(
      within(dialog)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Settings']);
    expect(within(dialog).getByRole('option', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).not.toBeInTheDocument();
  });

  it('moves with the arrow keys and closes with Escape, giving focus back', async () => {
    const { user } = renderApp(createLibraryTestEngine(), '/classes');
    const button = await screen.findByRole('button', { name: 'New class' });
    button.focus();
    await user.keyboard('{Meta>}k{/Meta}');
    const dialog = await palette();
    const input = within(dialog).getByRole('combobox');
    const options = within(dialog).getAllByRole('option');
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(options[2]).toHaveAttribute('aria-selected', 'true');
    expect(input).toHaveAttribute('aria-activedescendant', options[2]!.id);
    await user.keyboard('{ArrowUp}');
    expect(options[1]).toHaveAttribute('aria-selected', 'true');

    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Command palette' })).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(button).toHaveFocus());
  });

  it('“New class” opens the class form on the Classes page', async () => {
    const { user } = renderApp(createLibraryTestEngine(), '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    await user.type(within(await palette()).getByRole('combobox'), 'new class');
    await user.keyboard('{Enter}');
    const form = await screen.findByRole('dialog', { name: 'New class' });
    // Behind the dialog (hidden from the accessibility tree while it is open).
    await waitFor(() => expect(window.location.hash).toBe('#/classes'));
    await waitFor(() => expect(within(form).getByLabelText('Name')).toHaveFocus());
  });

  it('shows live hits from the library and opens one at its page', async () => {
    const material = makeMaterial({ title: 'Thermodynamics', pageCount: 8 });
    const engine = createLibraryTestEngine({ materials: [material] });
    engine.pages.set(material.id, [makePage(material.id, 6, 'Entropy always increases')]);
    engine.search = {
      semanticAvailable: true,
      hits: [
        makeHit({
          materialId: material.id,
          title: 'Thermodynamics',
          location: onPage(6, [{ page: 6, start: 0, end: 7 }]),
          snippet: '\u0002Entropy\u0003 always increases',
        }),
      ],
    };
    const { user } = renderApp(engine, '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await palette();
    await user.type(within(dialog).getByRole('combobox'), 'entropy');
    const hit = await within(dialog).findByRole('option', { name: /Thermodynamics/ });
    expect(hit).toHaveTextContent('Thermodynamics · p. 6Entropy always increases');
    expect(hit.querySelector('mark')).toHaveTextContent('Entropy');
    expect(engine.callsTo('search.query').at(-1)).toEqual({ query: 'entropy', limit: 6 });

    // Hits come after the commands: go up from the first option to the last one.
    await user.keyboard('{ArrowUp}');
    expect(hit).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Thermodynamics' })).toBeInTheDocument();
    expect(await screen.findByText('Page 6 of 8')).toBeInTheDocument();
    await waitFor(() => expect(document.querySelector('.page-text mark')).toHaveTextContent('Entropy'));
  });

  it('“Import files” without uploads (desktop) opens the Library with the path field ready', async () => {
    const { user } = renderApp(createLibraryTestEngine({ files: false }), '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    await user.type(within(await palette()).getByRole('combobox'), 'import');
    await user.keyboard('{Enter}');
    const field = await screen.findByLabelText('Path of a file or folder on this computer');
    await waitFor(() => expect(field).toHaveFocus());
  });

  it('“Import files” opens the file picker at once and shows the chosen files in the Library’s imports', async () => {
    const opened = vi.spyOn(HTMLInputElement.prototype, 'click');
    const engine = createLibraryTestEngine();
    const { user } = renderApp(engine, '/');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    await user.keyboard('{Control>}k{/Control}');
    await user.type(within(await palette()).getByRole('combobox'), 'import');
    await user.keyboard('{Enter}');
    const picker = screen.getByLabelText('Files to import from the command palette');
    expect(opened.mock.contexts).toContain(picker);

    await user.upload(picker, new File(['%PDF'], 'syllabus.pdf', { type: 'application/pdf' }));
    const imports = await screen.findByRole('region', { name: 'Imports' });
    expect(await within(imports).findByRole('listitem', { name: 'syllabus.pdf' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/library');
  });

  it('does not open over another dialog', async () => {
    const { user } = renderApp(createLibraryTestEngine(), '/classes');
    await user.click(await screen.findByRole('button', { name: 'New class' }));
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).not.toBeInTheDocument();
  });
});
