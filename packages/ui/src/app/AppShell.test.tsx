import { act, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeClass } from '../test-support/fixtures';
import { renderApp } from '../test-support/render-app';
import { createTestEngine } from '../test-support/test-engine';
import { ErrorBoundary } from './ErrorBoundary';

describe('app shell', () => {
  it('has a link for every section and moves focus to the new page’s heading', async () => {
    const { user } = renderApp(createTestEngine(), '/');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const names = within(nav)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(names).toEqual([
      'Dashboard',
      'Classes',
      'Library',
      'Lectures',
      'Tutor',
      'Study',
      'Notes',
      'Quizzes',
      'Settings',
    ]);

    await user.click(within(nav).getByRole('link', { name: 'Classes' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Classes' });
    expect(heading).toHaveFocus();
    expect(within(screen.getByRole('main')).getByRole('button', { name: 'New class' })).toBeVisible();
    expect(within(nav).getByRole('link', { name: 'Classes' })).toHaveAttribute('aria-current', 'page');
  });

  it('folds the sidebar to its icons and back, keeping every link’s name, and remembers the choice', async () => {
    localStorage.removeItem('littleMonster.sidebarFolded');
    const { user, unmount } = renderApp(createTestEngine(), '/');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const links = within(nav).getAllByRole('link');
    // Each link has its icon (an svg hidden from screen readers) beside its name.
    for (const link of links) expect(link.querySelector('svg[aria-hidden="true"]')).not.toBeNull();
    expect(document.querySelector('.app-shell')).not.toHaveClass('is-folded');

    await user.click(screen.getByRole('button', { name: 'Fold the sidebar' }));
    expect(document.querySelector('.app-shell')).toHaveClass('is-folded');
    expect(screen.getByRole('button', { name: 'Expand the sidebar' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    // Folded, the names stay for screen readers and as tooltips.
    const tutor = within(nav).getByRole('link', { name: 'Tutor' });
    expect(tutor).toHaveAttribute('title', 'Tutor');
    unmount();

    renderApp(createTestEngine(), '/');
    expect(document.querySelector('.app-shell')).toHaveClass('is-folded');
    await user.click(screen.getByRole('button', { name: 'Expand the sidebar' }));
    expect(document.querySelector('.app-shell')).not.toHaveClass('is-folded');
    expect(localStorage.getItem('littleMonster.sidebarFolded')).toBe('false');
    localStorage.removeItem('littleMonster.sidebarFolded');
  });

  it('goes to a page with "g" then its letter, but not while typing', async () => {
    const { user } = renderApp(createTestEngine(), '/');
    await user.keyboard('gc');
    expect(await screen.findByRole('heading', { level: 1, name: 'Classes' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New class' }));
    await user.type(screen.getByLabelText('Name'), 'gs');
    expect(screen.getByLabelText('Name')).toHaveValue('gs');
    expect(screen.queryByRole('heading', { level: 1, name: 'Settings' })).not.toBeInTheDocument();
  });

  it('says it is reconnecting while the engine is away, and refetches when it is back', async () => {
    const engine = createTestEngine();
    renderApp(engine, '/classes');
    expect(await screen.findByText('No classes yet')).toBeInTheDocument();
    act(() => engine.transport.setState('reconnecting', 'connection lost'));
    expect(screen.getByText('Reconnecting to the engine…')).toBeInTheDocument();

    engine.classes.push(makeClass({ name: 'Added while away' }));
    act(() => engine.transport.setState('connected'));
    expect(screen.queryByText('Reconnecting to the engine…')).not.toBeInTheDocument();
    expect(await screen.findByRole('listitem', { name: 'Added while away' })).toBeInTheDocument();
  });

  it('replaces the app with a clear message when the engine refuses the page’s token', async () => {
    sessionStorage.setItem('littleMonster.token', 'from-an-earlier-start');
    try {
      const engine = createTestEngine();
      renderApp(engine, '/');
      act(() => engine.transport.setState('closed', 'unauthorized'));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'This page’s access token is no longer valid. Open the address printed by npm run web, which includes it.',
      );
      expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
    } finally {
      sessionStorage.clear();
    }
  });

  it('says the token is missing, not "no longer valid", when the page was opened without one', async () => {
    const engine = createTestEngine();
    renderApp(engine, '/');
    act(() => engine.transport.setState('closed', 'unauthorized'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This page was opened without its access token.');
    expect(alert).not.toHaveTextContent('no longer valid');
  });

  it('makes the rest of the app inert while a dialog is open', async () => {
    const { user } = renderApp(createTestEngine(), '/classes');
    await user.click(await screen.findByRole('button', { name: 'New class' }));
    expect(document.querySelector('.app-shell')).toHaveAttribute('inert');
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });
});

describe('error boundary', () => {
  it('shows what happened and a Reload button instead of a blank window', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Broken(): never {
      throw new Error('Cannot read the lecture');
    }
    render(
      <ErrorBoundary scope="app">
        <Broken />
      </ErrorBoundary>,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong on this screen');
    expect(alert).toHaveTextContent('Cannot read the lecture');
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
  });

  it('keeps the sidebar usable when one page fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const engine = createTestEngine();
    // An answer that breaks the page's assumptions (a bug), not an engine error.
    engine.handlers['classes.list'] = () => [null as never];
    renderApp(engine, '/classes');
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong on this screen'),
    );
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });
});
