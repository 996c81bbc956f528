import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const classList = () => screen.findByRole('list', { name: 'Classes' });
const classNames = async () =>
  within(await classList())
    .getAllByRole('heading', { level: 2 })
    .map((heading) => heading.firstChild?.textContent);

describe('Classes page', () => {
  it('creates a class with a weekly meeting and an exam through the form and shows it in the list', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/classes');
    expect(await screen.findByText('No classes yet')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New class' }));
    const dialog = screen.getByRole('dialog', { name: 'New class' });
    await user.type(within(dialog).getByLabelText('Name'), 'Linear Algebra');
    await user.type(within(dialog).getByLabelText('Code'), 'MATH 221');
    await user.type(within(dialog).getByLabelText('Term'), 'Autumn 2026');
    await user.type(within(dialog).getByLabelText('Instructor'), 'Dr. Noether');
    await user.click(within(dialog).getByRole('button', { name: 'Add meeting' }));
    const meeting = within(dialog).getByRole('group', { name: 'Meeting 1' });
    await user.selectOptions(within(meeting).getByLabelText('Day'), 'Wednesday');
    await user.type(within(meeting).getByLabelText('Location'), 'Hall B');
    await user.click(within(dialog).getByRole('button', { name: 'Add exam' }));
    const exam = within(dialog).getByRole('group', { name: 'Exam 1' });
    await user.type(within(exam).getByLabelText('Title'), 'Midterm');
    await user.type(within(exam).getByLabelText('Date'), '2026-11-04');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const item = within(await classList()).getByRole('listitem', { name: 'Linear Algebra' });
    expect(item).toHaveTextContent('MATH 221 · Autumn 2026 · Dr. Noether');
    expect(item).toHaveTextContent('Wed 09:00–10:00, Hall B');
    expect(item).toHaveTextContent('Midterm');
    expect(engine.classes).toHaveLength(1);
    expect(engine.classes[0]).toMatchObject({
      name: 'Linear Algebra',
      schedule: [{ day: 3, start: '09:00', end: '10:00', location: 'Hall B' }],
      exams: [{ title: 'Midterm', date: '2026-11-04' }],
    });
  });

  it('shows the engine’s INVALID_INPUT messages beside the fields and keeps the dialog open', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/classes');
    await user.click(await screen.findByRole('button', { name: 'New class' }));
    const dialog = screen.getByRole('dialog', { name: 'New class' });
    await user.click(within(dialog).getByRole('button', { name: 'Add meeting' }));
    const meeting = within(dialog).getByRole('group', { name: 'Meeting 1' });
    const end = within(meeting).getByLabelText('End');
    await user.clear(end);
    await user.type(end, '08:00');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    const name = within(dialog).getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAccessibleDescription('A class needs a name'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();
    expect(within(meeting).getByLabelText('End')).toHaveAccessibleDescription(
      'A meeting must end after it starts',
    );
    expect(screen.getByRole('dialog', { name: 'New class' })).toBeInTheDocument();
    expect(engine.classes).toHaveLength(0);
    // Shown inline, so no toast on top.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await user.type(name, 'Ethics');
    expect(name).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('maps the `patch.` paths of an edit to the right fields', async () => {
    const engine = createTestEngine({ classes: [makeClass({ name: 'Ethics' })] });
    engine.handlers['classes.update'] = () => {
      throw rpcError('INVALID_INPUT', 'Invalid input', [
        { path: 'patch.code', message: 'Use at most 40 characters' },
      ]);
    };
    const { user } = renderApp(engine, '/classes');
    const item = within(await classList()).getByRole('listitem', { name: 'Ethics' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit class' });
    await user.type(within(dialog).getByLabelText('Code'), 'PHIL');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Code')).toHaveAccessibleDescription(/Use at most 40 characters/),
    );
  });

  it('edits only what changed, so untouched exams keep their identity', async () => {
    const cls = makeClass({
      name: 'Ethics',
      exams: [{ id: crypto.randomUUID(), title: 'Final', date: '2026-12-10' }],
    });
    const engine = createTestEngine({ classes: [cls] });
    const { user } = renderApp(engine, '/classes');
    const item = within(await classList()).getByRole('listitem', { name: 'Ethics' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    const name = within(screen.getByRole('dialog', { name: 'Edit class' })).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Applied Ethics');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await within(await classList()).findByRole('listitem', { name: 'Applied Ethics' }),
    ).toBeInTheDocument();
    expect(engine.callsTo('classes.update')).toEqual([{ id: cls.id, patch: { name: 'Applied Ethics' } }]);
  });

  it('asks for confirmation naming the class before deleting it, and Cancel keeps it', async () => {
    const engine = createTestEngine({
      classes: [makeClass({ name: 'Chemistry' }), makeClass({ name: 'Biology' })],
    });
    const { user } = renderApp(engine, '/classes');
    const item = within(await classList()).getByRole('listitem', { name: 'Chemistry' });

    await user.click(within(item).getByRole('button', { name: 'Delete' }));
    let confirm = screen.getByRole('dialog', { name: 'Delete class?' });
    expect(confirm).toHaveTextContent('“Chemistry” will be deleted');
    expect(confirm).toHaveTextContent(
      'Nothing you made in it is deleted: its materials, lectures and tutor conversations stay, under “No class”.',
    );
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(engine.classes).toHaveLength(2);

    await user.click(within(item).getByRole('button', { name: 'Delete' }));
    confirm = screen.getByRole('dialog', { name: 'Delete class?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete class' }));
    await waitFor(() =>
      expect(screen.queryByRole('listitem', { name: 'Chemistry' })).not.toBeInTheDocument(),
    );
    expect(await classNames()).toEqual(['Biology']);
    expect(engine.classes.map((c) => c.name)).toEqual(['Biology']);
  });

  it('hides archived classes until “Show archived” is on', async () => {
    const engine = createTestEngine({
      classes: [makeClass({ name: 'Physics' }), makeClass({ name: 'Old Latin', archived: true })],
    });
    const { user } = renderApp(engine, '/classes');
    expect(await classNames()).toEqual(['Physics']);

    await user.click(screen.getByRole('checkbox', { name: 'Show archived' }));
    await waitFor(async () => expect(await classNames()).toEqual(['Physics', 'Old Latin']));
    const latin = screen.getByRole('listitem', { name: /Old Latin/ });
    expect(latin).toHaveTextContent('Archived');

    await user.click(within(latin).getByRole('button', { name: 'Unarchive' }));
    await waitFor(() => expect(engine.classes.find((c) => c.name === 'Old Latin')?.archived).toBe(false));
    await user.click(screen.getByRole('checkbox', { name: 'Show archived' }));
    await waitFor(async () => expect(await classNames()).toEqual(['Physics', 'Old Latin']));
  });

  it('archiving takes a class out of the list', async () => {
    const engine = createTestEngine({
      classes: [makeClass({ name: 'Physics' }), makeClass({ name: 'Art' })],
    });
    const { user } = renderApp(engine, '/classes');
    const art = within(await classList()).getByRole('listitem', { name: 'Art' });
    await user.click(within(art).getByRole('button', { name: 'Archive' }));
    await waitFor(async () => expect(await classNames()).toEqual(['Physics']));
    expect(screen.getByRole('region', { name: 'Notifications' })).toHaveTextContent(
      'Archived “Art”Turn on “Show archived” to see it again.',
    );
    expect(engine.classes.find((c) => c.name === 'Art')?.archived).toBe(true);
  });

  it('moves a class down with the keyboard and the engine keeps the new order', async () => {
    const engine = createTestEngine({
      classes: [makeClass({ name: 'First' }), makeClass({ name: 'Second' }), makeClass({ name: 'Third' })],
    });
    const { user } = renderApp(engine, '/classes');
    const first = within(await classList()).getByRole('listitem', { name: 'First' });
    const moveDown = within(first).getByRole('button', { name: 'Move down' });
    moveDown.focus();
    await user.keyboard('{Enter}');

    await waitFor(async () => expect(await classNames()).toEqual(['Second', 'First', 'Third']));
    expect(moveDown).toHaveFocus();
    expect([...engine.classes].sort((a, b) => a.sortOrder - b.sortOrder).map((c) => c.name)).toEqual([
      'Second',
      'First',
      'Third',
    ]);
    expect(
      within(screen.getByRole('listitem', { name: 'Second' })).getByRole('button', { name: 'Move up' }),
    ).toHaveAttribute('aria-disabled', 'true');
  });

  it('puts the order back and says why when reordering fails', async () => {
    const engine = createTestEngine({
      classes: [makeClass({ name: 'First' }), makeClass({ name: 'Second' })],
    });
    engine.handlers['classes.reorder'] = () => {
      throw rpcError('STORAGE_UNAVAILABLE', 'The disk is full.');
    };
    const { user } = renderApp(engine, '/classes');
    const first = within(await classList()).getByRole('listitem', { name: 'First' });
    await user.click(within(first).getByRole('button', { name: 'Move down' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Your data could not be saved or read');
    await waitFor(async () => expect(await classNames()).toEqual(['First', 'Second']));
  });

  it('closes the form with Escape and returns focus to “New class”', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/classes');
    const newClass = await screen.findByRole('button', { name: 'New class' });
    await user.click(newClass);
    expect(within(screen.getByRole('dialog', { name: 'New class' })).getByLabelText('Name')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(newClass).toHaveFocus());
  });

  it('keeps Tab inside the open dialog', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/classes');
    await user.click(await screen.findByRole('button', { name: 'New class' }));
    const dialog = screen.getByRole('dialog', { name: 'New class' });
    within(dialog).getByRole('button', { name: 'Save' }).focus();
    await user.tab();
    expect(within(dialog).getByLabelText('Name')).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Save' })).toHaveFocus();
  });

  it('shows an error with a way to retry when the list cannot be loaded', async () => {
    const engine = createTestEngine({ classes: [makeClass({ name: 'Physics' })] });
    const list = engine.handlers['classes.list'];
    engine.handlers['classes.list'] = () => {
      throw rpcError('STORAGE_UNAVAILABLE', 'The database file cannot be read.');
    };
    const { user } = renderApp(engine, '/classes');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your classes');
    engine.handlers['classes.list'] = list;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await classNames()).toEqual(['Physics']);
  });
});
