import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

describe('the keyboard shortcut sheet', () => {
  it('opens on ? and lists the palette and every page’s g shortcut', async () => {
    const { user } = renderApp(createTestEngine(), '/classes');
    await screen.findByRole('heading', { level: 1, name: 'Classes' });
    await user.keyboard('?');
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(sheet).toHaveTextContent('Open the command palette');
    const settings = within(sheet).getByText('Go to Settings').closest('.shortcut-row');
    expect(settings).toHaveTextContent('g then s');
    expect(within(sheet).getByText('Next page').closest('.shortcut-row')).toHaveTextContent('PageDown or →');
    expect(within(sheet).getByText('Find in the document').closest('.shortcut-row')).toHaveTextContent(
      'Ctrl+F',
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
  });

  it('is not opened by typing ? in a field', async () => {
    const { user } = renderApp(createTestEngine(), '/classes');
    await user.click(await screen.findByRole('button', { name: 'New class' }));
    await user.type(screen.getByLabelText('Name'), 'What?');
    expect(screen.getByLabelText('Name')).toHaveValue('What?');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
  });
});
