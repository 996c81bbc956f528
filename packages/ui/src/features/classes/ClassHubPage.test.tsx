import { screen, waitFor, within } from '@testing-library/react';
import type { Deck, Material, WrittenNoteSummary } from '@little-monster/core/contract';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import { makeLecture } from '../lectures/test-support/lectures-test-engine';
import { makeMaterial } from '../library/test-support/library-test-engine';
import { createTutorTestEngine, makeConversation } from '../tutor/test-support/tutor-test-engine';

const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A class with a meeting tomorrow and an exam in 12 days, and one thing of each kind for it. */
function hubEngine() {
  const now = new Date();
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const inTwelveDays = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 12);
  const geology = makeClass({
    name: 'Geology',
    code: 'GEO 101',
    schedule: [{ day: ((tomorrow.getDay() + 6) % 7) + 1, start: '10:15', end: '11:45', location: 'Lab 3' }],
    exams: [{ id: crypto.randomUUID(), title: 'Midterm', date: isoDate(inTwelveDays) }],
  });
  const other = makeClass({ name: 'History' });
  const conversation = makeConversation({ classId: geology.id, title: 'Plate boundaries' });
  const engine = createTutorTestEngine({
    classes: [geology, other],
    conversations: [conversation, makeConversation({ classId: other.id, title: 'The Romans' })],
  });
  const materials: Material[] = [
    makeMaterial({ title: 'Rocks handout', classId: geology.id, pageCount: 12 }),
    makeMaterial({ title: 'Roman roads', classId: other.id }),
  ];
  const lecture = makeLecture({ title: 'Volcanoes', classId: geology.id, durationMs: 53 * 60_000 });
  const deck: Deck = {
    id: crypto.randomUUID(),
    classId: geology.id,
    name: 'Minerals',
    description: '',
    cards: 40,
    due: { new: 5, learning: 2, review: 7 },
    examTargetRecall: null,
  };
  engine.handlers['materials.list'] = ({ classId, limit }) => {
    const items = materials.filter((material) => classId === undefined || material.classId === classId);
    return { items: items.slice(0, limit), total: items.length };
  };
  engine.handlers['lectures.list'] = ({ classId }) =>
    [lecture].filter((item) => classId === undefined || item.classId === classId);
  engine.handlers['study.decks'] = ({ classId }) =>
    [deck].filter((item) => classId === undefined || item.classId === classId);
  const note = (title: string, classId: string): WrittenNoteSummary => ({
    id: crypto.randomUUID(),
    classId,
    lectureId: null,
    title,
    excerpt: '',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  const notes = [note('Rock cycle', geology.id), note('Aqueducts', other.id)];
  engine.handlers['notes.list'] = ({ classId }) =>
    notes.filter((item) => classId === undefined || item.classId === classId);
  return { engine, geology, conversation, lecture, deck, note: notes[0]!, material: materials[0]! };
}

describe('Class hub', () => {
  it('shows the class’s next meeting, exam countdown, materials, lectures, decks with what is due, and conversations', async () => {
    const { engine, geology, conversation, lecture, deck, note, material } = hubEngine();
    renderApp(engine, `/classes/${geology.id}`);

    expect(await screen.findByRole('heading', { level: 1, name: 'Geology' })).toBeInTheDocument();
    expect(screen.getByText('GEO 101')).toBeInTheDocument();
    const meetings = await screen.findByRole('list', { name: 'Next meetings' });
    expect(within(meetings).getAllByRole('listitem')[0]).toHaveTextContent('10:15–11:45');
    expect(within(meetings).getAllByRole('listitem')[0]).toHaveTextContent('Lab 3');
    expect(screen.getByRole('list', { name: 'Exams' })).toHaveTextContent('Midterm');
    expect(screen.getByRole('list', { name: 'Exams' })).toHaveTextContent('in 12 days');

    // Only this class's things, each a link to its own page.
    const materials = await screen.findByRole('list', { name: 'Materials' });
    expect(within(materials).getByRole('link', { name: 'Rocks handout' })).toHaveAttribute(
      'href',
      `#/library/${material.id}`,
    );
    expect(materials).toHaveTextContent('12 pages');
    expect(screen.queryByText('Roman roads')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All materials' })).toHaveAttribute(
      'href',
      `#/library?class=${geology.id}`,
    );
    const lectures = await screen.findByRole('list', { name: 'Lectures' });
    expect(within(lectures).getByRole('link', { name: 'Volcanoes' })).toHaveAttribute(
      'href',
      `#/lectures/${lecture.id}`,
    );
    const notes = await screen.findByRole('list', { name: 'Notes' });
    expect(within(notes).getByRole('link', { name: 'Rock cycle' })).toHaveAttribute(
      'href',
      `#/notes/${note.id}`,
    );
    expect(screen.queryByText('Aqueducts')).not.toBeInTheDocument();
    const decks = await screen.findByRole('list', { name: 'Decks' });
    expect(decks).toHaveTextContent('Minerals');
    expect(within(decks).getByRole('link', { name: 'Study 14 due' })).toHaveAttribute(
      'href',
      `#/study/review?deck=${deck.id}`,
    );
    const conversations = await screen.findByRole('list', { name: 'Conversations' });
    expect(within(conversations).getByRole('link', { name: 'Plate boundaries' })).toHaveAttribute(
      'href',
      `#/tutor?conversation=${conversation.id}&class=${geology.id}`,
    );
    expect(screen.queryByText('The Romans')).not.toBeInTheDocument();
    expect(engine.callsTo('materials.list')).toContainEqual(expect.objectContaining({ classId: geology.id }));
  });

  it('asks the tutor about this class: a new conversation about it, the cursor in the question field', async () => {
    const { engine, geology } = hubEngine();
    const { user } = renderApp(engine, `/classes/${geology.id}`);
    await user.click(await screen.findByRole('link', { name: 'Ask the tutor about this class' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/tutor?class=${geology.id}`));
    const field = await screen.findByRole('textbox', { name: 'Ask the tutor' });
    await waitFor(() => expect(field).toHaveFocus());
    expect(screen.getByLabelText('About')).toHaveValue(geology.id);
    await user.type(field, 'What is a fault?{Enter}');
    await waitFor(() => expect(engine.callsTo('conversations.create')).toEqual([{ classId: geology.id }]));
  });

  it('says what to do next where a class has nothing yet', async () => {
    const empty = makeClass({ name: 'Chemistry' });
    const engine = createTutorTestEngine({ classes: [empty] });
    engine.handlers['materials.list'] = () => ({ items: [], total: 0 });
    engine.handlers['lectures.list'] = () => [];
    engine.handlers['study.decks'] = () => [];
    engine.handlers['notes.list'] = () => [];
    renderApp(engine, `/classes/${empty.id}`);
    expect(await screen.findByText('No materials yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Import slides, PDFs or notes' })).toHaveAttribute(
      'href',
      `#/library?class=${empty.id}`,
    );
    expect(await screen.findByText('No lectures yet')).toBeInTheDocument();
    expect(await screen.findByText('No decks yet')).toBeInTheDocument();
    expect(await screen.findByText('No notes yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Write a note' })).toHaveAttribute(
      'href',
      `#/notes?class=${empty.id}`,
    );
    expect(screen.getByText('No exams coming up')).toBeInTheDocument();
    expect(screen.getByText('No meetings in the next two weeks')).toBeInTheDocument();
  });

  it('says so when the class does not exist (deleted since the link was made)', async () => {
    const engine = createTutorTestEngine({ classes: [makeClass({ name: 'Chemistry' })] });
    renderApp(engine, `/classes/${crypto.randomUUID()}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Class not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See your classes' })).toHaveAttribute('href', '#/classes');
  });

  it('is reached from the dashboard and from the Classes page', async () => {
    const { engine, geology } = hubEngine();
    const { user } = renderApp(engine, '/');
    const classes = await screen.findByRole('region', { name: 'Your classes' });
    expect(within(classes).getByRole('link', { name: 'Geology' })).toHaveAttribute(
      'href',
      `#/classes/${geology.id}`,
    );
    const tomorrow = await screen.findByRole('list', { name: 'Tomorrow' });
    expect(within(tomorrow).getByRole('link', { name: 'Geology' })).toHaveAttribute(
      'href',
      `#/classes/${geology.id}`,
    );
    const exams = screen.getByRole('region', { name: 'Exams in the next 60 days' });
    expect(within(exams).getByRole('link', { name: 'Geology' })).toHaveAttribute(
      'href',
      `#/classes/${geology.id}`,
    );

    await user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Classes' }),
    );
    const card = await screen.findByRole('listitem', { name: 'Geology' });
    await user.click(within(card).getByRole('link', { name: 'Geology' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Geology' })).toBeInTheDocument();
    expect(window.location.hash).toBe(`#/classes/${geology.id}`);
  });
});
