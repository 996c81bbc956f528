import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import { createLibraryTestEngine, makeMaterial } from './test-support/library-test-engine';

const pdf = (name: string) => new File([new Uint8Array(2048)], name, { type: 'application/pdf' });
const imports = () => screen.findByRole('region', { name: 'Imports' });
const materialsList = () => screen.findByRole('list', { name: 'Materials' });

describe('Library: importing', () => {
  it('shows a row per file with its progress, then the material in the library', async () => {
    const physics = makeClass({ name: 'Physics' });
    const engine = createLibraryTestEngine({ classes: [physics] });
    const { user } = renderApp(engine, '/library');
    expect(await screen.findByText('Your library is empty')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Add to class'), 'Physics');
    expect(screen.getByRole('button', { name: 'Import files' })).toBeInTheDocument();
    await user.upload(screen.getByLabelText('Files to import'), [pdf('week-1.pdf'), pdf('week-2.pdf')]);

    const panel = await imports();
    const first = await within(panel).findByRole('listitem', { name: 'week-1.pdf' });
    const second = await within(panel).findByRole('listitem', { name: 'week-2.pdf' });
    await waitFor(() => expect(second).toHaveTextContent('Waiting to start'));
    expect([...engine.uploads.values()].map((file) => file.name)).toEqual(['week-1.pdf', 'week-2.pdf']);
    expect(engine.callsTo('materials.import')).toEqual([
      {
        classId: physics.id,
        sources: [{ kind: 'upload', uploadId: expect.any(String), name: 'week-1.pdf' }],
      },
      {
        classId: physics.id,
        sources: [{ kind: 'upload', uploadId: expect.any(String), name: 'week-2.pdf' }],
      },
    ]);

    const [job1, job2] = engine.jobs.map((job) => job.id);
    act(() => engine.progress(job1!, 0.4, 'Page 2 of 5'));
    await waitFor(() => expect(first).toHaveTextContent('Importing 40% · Page 2 of 5'));
    expect(within(first).getByRole('progressbar', { name: 'week-1.pdf progress' })).toHaveAttribute(
      'value',
      '0.4',
    );

    // While it imports its type is not known yet: it is not called "Text".
    const importing = await within(await materialsList()).findByRole('listitem', { name: 'week-1' });
    expect(importing).not.toHaveTextContent(/\bText\b/);

    act(() => engine.finishImport(job1!, ['one', 'two', 'three']));
    await waitFor(() => expect(first).toHaveTextContent('Imported.'));
    expect(within(first).getByRole('link', { name: 'Open it' })).toBeInTheDocument();
    const item = await within(await materialsList()).findByRole('listitem', { name: 'week-1' });
    await waitFor(() => expect(item).toHaveTextContent('3 pages'));
    expect(item).toHaveTextContent('Physics');
    expect(item).toHaveTextContent('PDF');

    await user.click(within(second).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(second).toHaveTextContent('Cancelled'));
    expect(engine.jobs.find((job) => job.id === job2)?.status).toBe('cancelled');
  });

  it('says a file imported with warnings did so, not a plain green "Imported."', async () => {
    const engine = createLibraryTestEngine();
    const { user } = renderApp(engine, '/library');
    await user.upload(await screen.findByLabelText('Files to import'), pdf('scanned.pdf'));
    const row = await within(await imports()).findByRole('listitem', { name: 'scanned.pdf' });
    await waitFor(() => expect(engine.jobs).toHaveLength(1));

    act(() =>
      engine.finishImport(
        engine.jobs[0]!.id,
        ['one', 'two'],
        ['Page 2 has no readable text.', 'Font missing.'],
      ),
    );
    const status = await within(row).findByText(/^Imported with 2 warnings/);
    expect(status).toHaveClass('import-warned');
    expect(status).not.toHaveClass('import-done');
    expect(within(row).getByRole('link', { name: 'Open it' })).toBeInTheDocument();
  });

  it('shows why a file was not imported when its job fails', async () => {
    const engine = createLibraryTestEngine();
    const { user } = renderApp(engine, '/library');
    await user.upload(await screen.findByLabelText('Files to import'), pdf('locked.pdf'));
    const row = await within(await imports()).findByRole('listitem', { name: 'locked.pdf' });
    await waitFor(() => expect(engine.jobs).toHaveLength(1));

    act(() =>
      engine.failImport(
        engine.jobs[0]!.id,
        'This PDF is password-protected. Remove the password and import it again.',
      ),
    );
    await waitFor(() =>
      expect(row).toHaveTextContent(
        'Not imported: This PDF is password-protected. Remove the password and import it again.',
      ),
    );
    // Nothing half-imported is left in the library.
    expect(await screen.findByText('Your library is empty')).toBeInTheDocument();
  });

  it('says when a file is already in the library, with a link to it', async () => {
    const existing = makeMaterial({ title: 'Thermodynamics notes' });
    const engine = createLibraryTestEngine({ materials: [existing] });
    engine.library['materials.import'] = ({ sources }) => ({
      items: sources.map((source) => ({
        name: source.kind === 'upload' ? source.name : source.path,
        duplicateOf: { id: existing.id, title: existing.title },
      })),
    });
    const { user } = renderApp(engine, '/library');
    await user.upload(await screen.findByLabelText('Files to import'), pdf('thermo.pdf'));

    const row = await within(await imports()).findByRole('listitem', { name: 'thermo.pdf' });
    await waitFor(() => expect(row).toHaveTextContent('Already in your library: Thermodynamics notes'));
    const link = within(row).getByRole('link', { name: 'Thermodynamics notes' });
    expect(link).toHaveAttribute('href', `#/library/${existing.id}`);
  });

  it('says why an upload was refused (too large) without calling the import', async () => {
    const engine = createLibraryTestEngine();
    const files = engine.transport.files!;
    files.upload = () => Promise.reject(new Error('This file is larger than 200 MB.'));
    const { user } = renderApp(engine, '/library');
    await user.upload(await screen.findByLabelText('Files to import'), pdf('huge.pdf'));
    const row = await within(await imports()).findByRole('listitem', { name: 'huge.pdf' });
    await waitFor(() => expect(row).toHaveTextContent('Not imported: This file is larger than 200 MB.'));
    expect(engine.callsTo('materials.import')).toEqual([]);
  });

  it('without any way to send files, says so honestly and imports by a typed path', async () => {
    const engine = createLibraryTestEngine({ files: false });
    const { user } = renderApp(engine, '/library');
    expect(
      await screen.findByText(
        'This window cannot send files to the engine; type the path of a file or folder instead.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import files' })).not.toBeInTheDocument();

    await user.type(
      screen.getByLabelText('Path of a file or folder on this computer'),
      '/home/sam/Lectures/week-3.pdf',
    );
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await within(await imports()).findByRole('listitem', { name: 'week-3.pdf' })).toBeInTheDocument();
    expect(engine.callsTo('materials.import')).toEqual([
      { classId: null, sources: [{ kind: 'path', path: '/home/sam/Lectures/week-3.pdf' }] },
    ]);
  });

  it('adds pasted text as a material and shows it among the imports', async () => {
    const engine = createLibraryTestEngine();
    const { user } = renderApp(engine, '/library');
    await user.click(await screen.findByRole('button', { name: 'Paste text' }));
    const dialog = screen.getByRole('dialog', { name: 'Paste text' });
    await user.click(within(dialog).getByRole('button', { name: 'Add to library' }));
    // The engine's own validation messages appear beside the fields.
    expect(await within(dialog).findByText('Give the text a title')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText('Title'), 'E-mail from the TA');
    await user.type(within(dialog).getByLabelText('Text'), 'The midterm covers chapters 1 to 4.');
    await user.click(within(dialog).getByRole('button', { name: 'Add to library' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(
      await within(await imports()).findByRole('listitem', { name: 'E-mail from the TA' }),
    ).toBeInTheDocument();
    expect(engine.callsTo('materials.pasteText').at(-1)).toEqual({
      classId: null,
      title: 'E-mail from the TA',
      text: 'The midterm covers chapters 1 to 4.',
    });
  });
});

describe('Library: materials', () => {
  it('shows each material’s type, class, pages, date and warnings', async () => {
    const ethics = makeClass({ name: 'Ethics' });
    const engine = createLibraryTestEngine({
      classes: [ethics],
      materials: [
        makeMaterial({
          title: 'Kant reader',
          classId: ethics.id,
          pageCount: 42,
          importedAt: '2026-09-14T10:00:00.000Z',
          warnings: ['Page 7 could not be read and was skipped.'],
        }),
        makeMaterial({ title: 'Whiteboard photo', type: 'image', pageCount: 1 }),
      ],
    });
    renderApp(engine, '/library');
    const list = await materialsList();
    const kant = within(list).getByRole('listitem', { name: 'Kant reader' });
    expect(kant).toHaveTextContent('PDF');
    expect(kant).toHaveTextContent('Ethics');
    expect(kant).toHaveTextContent('42 pages');
    expect(kant).toHaveTextContent('Imported Sep 14, 2026');
    expect(kant).toHaveTextContent('!Warning: Page 7 could not be read and was skipped.');
    const photo = within(list).getByRole('listitem', { name: 'Whiteboard photo' });
    expect(photo).toHaveTextContent('No class');
    expect(photo).toHaveTextContent('1 image');
    expect(within(kant).getByRole('link', { name: 'Kant reader' })).toHaveAttribute(
      'href',
      expect.stringMatching(/^#\/library\/[0-9a-f-]{36}$/),
    );
  });

  it('filters by class (including “No class”) and by type, and switches between grid and list', async () => {
    const ethics = makeClass({ name: 'Ethics' });
    const engine = createLibraryTestEngine({
      classes: [ethics],
      materials: [
        makeMaterial({ title: 'Kant reader', classId: ethics.id }),
        makeMaterial({ title: 'Loose notes', type: 'text' }),
      ],
    });
    const { user } = renderApp(engine, '/library');
    const list = await materialsList();
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);

    await user.selectOptions(screen.getByLabelText('Class'), 'No class');
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(list).toHaveTextContent('Loose notes');
    await user.selectOptions(screen.getByLabelText('Class'), 'Ethics');
    await waitFor(() => expect(list).toHaveTextContent('Kant reader'));
    expect(list).not.toHaveTextContent('Loose notes');
    // New imports go into the class being looked at.
    expect(screen.getByLabelText('Add to class')).toHaveValue(ethics.id);

    await user.selectOptions(screen.getByLabelText('Class'), 'All classes');
    await user.selectOptions(screen.getByLabelText('Type'), 'Text');
    await waitFor(() => expect(list).not.toHaveTextContent('Kant reader'));
    expect(engine.callsTo('materials.list').at(-1)).toMatchObject({ type: 'text' });

    expect(list).toHaveClass('materials-grid');
    await user.click(screen.getByRole('button', { name: 'List' }));
    expect(screen.getByRole('button', { name: 'List' })).toHaveAttribute('aria-pressed', 'true');
    expect(await materialsList()).toHaveClass('materials-list');
  });

  it('asks before a bulk delete, naming how many, then deletes exactly the selected ones', async () => {
    const a = makeMaterial({ title: 'Week 1 slides' });
    const b = makeMaterial({ title: 'Week 2 slides' });
    const c = makeMaterial({ title: 'Syllabus' });
    const engine = createLibraryTestEngine({ materials: [a, b, c] });
    const { user } = renderApp(engine, '/library');
    await materialsList();

    await user.click(screen.getByRole('checkbox', { name: 'Select Week 1 slides' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Week 2 slides' }));
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete…' }));

    const confirm = screen.getByRole('dialog', { name: 'Delete 2 materials?' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(engine.callsTo('materials.delete')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Delete 2 materials?' })).getByRole('button', {
        name: 'Delete 2 materials',
      }),
    );
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Materials' })).getAllByRole('listitem')).toHaveLength(
        1,
      ),
    );
    expect(engine.callsTo('materials.delete')).toEqual([{ ids: expect.arrayContaining([a.id, b.id]) }]);
    expect((engine.callsTo('materials.delete')[0] as { ids: string[] }).ids).toHaveLength(2);
    expect(await screen.findByText('Deleted 2 materials')).toBeInTheDocument();
  });

  it('renames and moves one material, and moves several at once', async () => {
    const ethics = makeClass({ name: 'Ethics' });
    const a = makeMaterial({ title: 'scan0001' });
    const b = makeMaterial({ title: 'scan0002' });
    const engine = createLibraryTestEngine({ classes: [ethics], materials: [a, b] });
    const { user } = renderApp(engine, '/library');
    const list = await materialsList();

    await user.click(
      within(within(list).getByRole('listitem', { name: 'scan0001' })).getByRole('button', {
        name: 'Rename',
      }),
    );
    const rename = screen.getByRole('dialog', { name: 'Rename material' });
    await user.clear(within(rename).getByLabelText('Title'));
    await user.type(within(rename).getByLabelText('Title'), 'Lecture 1 board');
    await user.click(within(rename).getByRole('button', { name: 'Save' }));
    expect(await within(list).findByRole('listitem', { name: 'Lecture 1 board' })).toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    await user.click(screen.getByRole('button', { name: 'Move to class…' }));
    const move = screen.getByRole('dialog', { name: 'Move 2 materials' });
    await user.selectOptions(within(move).getByLabelText('Class'), 'Ethics');
    await user.click(within(move).getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(engine.materials.every((m) => m.classId === ethics.id)).toBe(true));
    expect(engine.callsTo('materials.update')).toEqual([
      { id: a.id, patch: { title: 'Lecture 1 board' } },
      expect.objectContaining({ patch: { classId: ethics.id } }),
      expect.objectContaining({ patch: { classId: ethics.id } }),
    ]);
  });
});
