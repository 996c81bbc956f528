import { act, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Editor } from '@tiptap/core';
import type { WrittenNote } from '@little-monster/core/contract';
import { makeClass } from '../../test-support/fixtures';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';
import { MarkdownEditor } from './MarkdownEditor';

// KaTeX checks for quirks mode once, when it loads: the app's pages have a doctype, happy-dom's
// test document reports none.
vi.hoisted(() => Object.defineProperty(document, 'compatMode', { value: 'CSS1Compat', configurable: true }));

/** Notes kept in memory by hand-written handlers (UI tests only; the engine's are tested in core). */
function notesEngine(initial: Partial<WrittenNote>[] = []) {
  const engine = createTestEngine({ classes: [makeClass({ name: 'Biology' })] });
  const now = () => new Date().toISOString();
  const notes: WrittenNote[] = initial.map((fields) => ({
    id: crypto.randomUUID(),
    classId: null,
    lectureId: null,
    title: 'Untitled note',
    markdown: '',
    createdAt: now(),
    updatedAt: now(),
    ...fields,
  }));
  const find = (id: string) => {
    const note = notes.find((candidate) => candidate.id === id);
    if (!note) throw rpcError('NOT_FOUND', 'That note no longer exists. It may have been deleted.');
    return note;
  };
  const changed = (id: string) =>
    queueMicrotask(() => engine.transport.emit({ name: 'notes.changed', payload: { ids: [id] } }));
  engine.handlers['notes.list'] = ({ classId }) =>
    notes
      .filter((note) => classId === undefined || note.classId === classId)
      .map(({ markdown, ...note }) => ({ ...note, excerpt: markdown.slice(0, 40) }));
  engine.handlers['notes.get'] = ({ id }) => find(id);
  engine.handlers['notes.create'] = ({ classId, lectureId, title, markdown }) => {
    engine.assertClass(classId);
    const note = {
      id: crypto.randomUUID(),
      classId,
      lectureId,
      title: title || 'Untitled note',
      markdown,
      createdAt: now(),
      updatedAt: now(),
    };
    notes.unshift(note);
    changed(note.id);
    return note;
  };
  engine.handlers['notes.update'] = ({ id, patch }) => {
    const note = find(id);
    Object.assign(note, patch, { updatedAt: now() });
    if (patch.title === '') note.title = 'Untitled note';
    changed(id);
    return { ...note };
  };
  engine.handlers['notes.delete'] = ({ id }) => {
    notes.splice(notes.indexOf(find(id)), 1);
    changed(id);
    return { id };
  };
  return { engine, notes };
}

/** The TipTap editor behind an editable region (TipTap hangs it on its element). */
const editorOf = (element: HTMLElement) => (element as HTMLElement & { editor: Editor }).editor;

describe('Notes page', () => {
  it('writes a new note in a class and saves what is typed without a save button', async () => {
    const { engine, notes } = notesEngine();
    const biology = engine.classes[0]!;
    const { user } = renderApp(engine, `/notes?class=${biology.id}`);
    await screen.findByText('No notes yet');
    await user.click(screen.getByRole('button', { name: 'New note' }));

    const body = await screen.findByRole('textbox', { name: 'Note text' });
    expect(engine.callsTo('notes.create')).toEqual([{ classId: biology.id }]);
    act(() => {
      editorOf(body)
        .chain()
        .focus()
        .insertContent('<h2>Cells</h2><ul><li><p>have a membrane</p></li></ul>')
        .run();
    });
    await user.type(screen.getByRole('textbox', { name: 'Note title' }), 'Week 1');
    await waitFor(() => expect(notes[0]?.title).toBe('Week 1'), { timeout: 5000 });
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(notes[0]).toMatchObject({
      classId: biology.id,
      title: 'Week 1',
      markdown: expect.stringMatching(/^## Cells\n\n- have a membrane\s*$/),
    });
    // The list shows it under its title.
    const list = await screen.findByRole('list', { name: 'Notes' });
    await waitFor(() => expect(within(list).getByRole('link', { name: /Week 1/ })).toBeInTheDocument());
  }, 20_000);

  it('keeps the text when a save fails, says so, and saves it on "Try again"', async () => {
    const { engine, notes } = notesEngine([{ title: 'Genetics', markdown: 'DNA' }]);
    const update = engine.handlers['notes.update']!;
    engine.handlers['notes.update'] = () => {
      throw rpcError('INTERNAL', 'The disk is full.');
    };
    const { user } = renderApp(engine, `/notes/${notes[0]!.id}`);
    const body = await screen.findByRole('textbox', { name: 'Note text' });
    act(() => {
      editorOf(body).commands.setContent('DNA is a double helix', { emitUpdate: true });
    });
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent(/Not saved/);
    expect(alert).toHaveTextContent(/Your text is still here/);
    expect(body).toHaveTextContent('DNA is a double helix');

    engine.handlers['notes.update'] = update;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(notes[0]!.markdown).toBe('DNA is a double helix'));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
  });

  it('asks before deleting a note, and deletes it only on confirm', async () => {
    const { engine, notes } = notesEngine([{ title: 'Old notes', markdown: 'to go' }]);
    const { user } = renderApp(engine, `/notes/${notes[0]!.id}`);
    await screen.findByRole('textbox', { name: 'Note text' });
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete this note?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(notes).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    dialog = await screen.findByRole('dialog', { name: 'Delete this note?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete note' }));
    await screen.findByText('No note open');
    expect(notes).toEqual([]);
    expect(await screen.findByText('No notes yet')).toBeInTheDocument();
  });

  it('shows a note with raw HTML and a javascript: link as text, never as markup or a live link', async () => {
    const { engine, notes } = notesEngine([
      {
        title: 'Hostile',
        markdown:
          'Hello [click](javascript:alert(1)) <img src=x onerror="alert(1)">\n\n<script>alert(2)</script>',
      },
    ]);
    renderApp(engine, `/notes/${notes[0]!.id}`);
    const body = await screen.findByRole('textbox', { name: 'Note text' });
    expect(body).toHaveTextContent('Hello click');
    expect(body.querySelector('a[href^="javascript"]')).toBeNull();
    expect(body.querySelector('img, script')).toBeNull();
  });
});

describe('notes beside a lecture', () => {
  it('stamps a paragraph with the lecture second it is started at, and a click on the stamp seeks', async () => {
    const onChange = vi.fn();
    const onStampClick = vi.fn();
    let second = 754;
    render(
      <MarkdownEditor
        label="Notes beside the lecture"
        initialMarkdown=""
        onChange={onChange}
        stampSecond={() => second}
        onStampClick={onStampClick}
      />,
    );
    const body = screen.getByRole('textbox', { name: 'Notes beside the lecture' });
    const editor = editorOf(body);
    // What ProseMirror does with typed text: asks handleTextInput first.
    const type = (text: string) =>
      act(() => {
        const { view } = editor;
        const { from, to } = view.state.selection;
        const handled = view.someProp('handleTextInput', (handle) =>
          handle(view, from, to, text, () => view.state.tr.insertText(text, from, to)),
        );
        if (!handled) view.dispatch(view.state.tr.insertText(text, from, to));
      });
    type('M');
    type('itochondria');
    act(() => void editor.commands.splitBlock());
    second = 800;
    type('ATP');
    expect(onChange).toHaveBeenLastCalledWith('[12:34](#t=754) Mitochondria\n\n[13:20](#t=800) ATP');

    const stamp = await screen.findByRole('link', { name: '13:20' });
    stamp.click();
    expect(onStampClick).toHaveBeenCalledWith(800);
  });
});

describe('maths in notes', () => {
  it('draws $…$ and $$…$$ with KaTeX and keeps the LaTeX exactly as written', async () => {
    const markdown = 'Energy $E = mc^2$ and $a_1 + \\frac{1}{2}$ cost $5 each.\n\n$$\n\\int_0^1 x\\,dx\n$$';
    const onChange = vi.fn();
    render(<MarkdownEditor label="Note text" initialMarkdown={markdown} onChange={onChange} />);
    const body = screen.getByRole('textbox', { name: 'Note text' });
    const formulas = body.querySelectorAll('.note-math');
    expect([...formulas].map((formula) => formula.getAttribute('data-latex'))).toEqual([
      'E = mc^2',
      'a_1 + \\frac{1}{2}',
      '\\int_0^1 x\\,dx',
    ]);
    expect(formulas[0]!.querySelector('.katex')).not.toBeNull();
    expect(editorOf(body).getMarkdown()).toBe(markdown);
  });

  it('makes a formula of $…$ as it is typed', () => {
    const onChange = vi.fn();
    render(<MarkdownEditor label="Note text" initialMarkdown="Area is" onChange={onChange} />);
    const body = screen.getByRole('textbox', { name: 'Note text' });
    const { view } = editorOf(body);
    act(() => void editorOf(body).commands.focus('end'));
    const type = (text: string) =>
      act(() => {
        const { from, to } = view.state.selection;
        const handled = view.someProp('handleTextInput', (handle) =>
          handle(view, from, to, text, () => view.state.tr.insertText(text, from, to)),
        );
        if (!handled) view.dispatch(view.state.tr.insertText(text, from, to));
      });
    for (const char of ' $\\pi r^2$') type(char);
    expect(body.querySelector('.note-math')?.getAttribute('data-latex')).toBe('\\pi r^2');
    expect(onChange).toHaveBeenLastCalledWith('Area is $\\pi r^2$');
  });
});
