import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Deck } from '@little-monster/core/contract';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import { createLecturesTestEngine, makeLecture } from '../lectures/test-support/lectures-test-engine';

const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

describe('Dashboard', () => {
  it('shows tomorrow’s meeting, the coming exam and honest empty sections', async () => {
    const now = new Date();
    const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
    const inTenDays = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 10);
    const isoTomorrow = ((tomorrow.getDay() + 6) % 7) + 1;
    const geology = makeClass({
      name: 'Geology',
      schedule: [{ day: isoTomorrow, start: '10:15', end: '11:45', location: 'Lab 3' }],
      exams: [{ id: crypto.randomUUID(), title: 'Rocks quiz', date: isoDate(inTenDays) }],
    });
    const engine = createLecturesTestEngine({
      classes: [
        geology,
        makeClass({
          name: 'Retired',
          archived: true,
          schedule: [{ day: isoTomorrow, start: '08:00', end: '09:00' }],
        }),
      ],
    });
    engine.handlers['study.decks'] = () => [];
    renderApp(engine, '/');

    const tomorrowList = await screen.findByRole('list', { name: 'Tomorrow' });
    const meeting = within(tomorrowList).getByRole('listitem');
    expect(meeting).toHaveTextContent('10:15–11:45');
    expect(meeting).toHaveTextContent('Geology');
    expect(meeting).toHaveTextContent('Lab 3');
    const exams = screen.getByRole('region', { name: 'Exams in the next 60 days' });
    expect(exams).toHaveTextContent('Rocks quiz · Geology');
    expect(exams).toHaveTextContent('(in 10 days)');
    expect(screen.queryByText(/Retired/)).not.toBeInTheDocument();
    const flashcards = screen.getByRole('region', { name: 'Flashcards due' });
    expect(await within(flashcards).findByText('No flashcards yet')).toBeInTheDocument();
    expect(within(flashcards).getByRole('link', { name: /import an Anki deck/ })).toHaveAttribute(
      'href',
      '#/study',
    );
  });

  it('counts the flashcards due today per class and opens a review session', async () => {
    const geology = makeClass({ name: 'Geology' });
    const engine = createLecturesTestEngine({ classes: [geology] });
    const deck = (name: string, classId: string | null, due: Deck['due']): Deck => ({
      id: crypto.randomUUID(),
      classId,
      name,
      description: '',
      cards: 40,
      due,
      examTargetRecall: null,
    });
    engine.handlers['study.decks'] = () => [
      deck('Geology', geology.id, { new: 5, learning: 1, review: 6 }),
      deck('Geology::Minerals', geology.id, { new: 0, learning: 0, review: 3 }),
      deck('My cards', null, { new: 0, learning: 0, review: 0 }),
    ];
    const { user } = renderApp(engine, '/');
    const flashcards = await screen.findByRole('region', { name: 'Flashcards due' });
    await waitFor(() => expect(flashcards).toHaveTextContent('15 cards to study today'));
    expect(within(flashcards).getByRole('list', { name: 'Due per class' })).toHaveTextContent('Geology: 15');
    expect(within(flashcards).queryByText(/No class/)).not.toBeInTheDocument();
    await user.click(within(flashcards).getByRole('link', { name: 'Study now' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Review' })).toBeInTheDocument();
  });

  it('lists the recorded lectures, newest first, each opening its page', async () => {
    const geology = makeClass({ name: 'Geology' });
    const older = makeLecture({ title: 'Plate tectonics', classId: geology.id, durationMs: 16_600 });
    const newer = makeLecture({ title: 'Volcanoes', durationMs: 53 * 60_000 });
    renderApp(createLecturesTestEngine({ classes: [geology], lectures: [older, newer] }), '/');

    const recent = await screen.findByRole('region', { name: 'Recent lectures' });
    const items = await within(recent).findAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('link').textContent)).toEqual([
      'Volcanoes',
      'Plate tectonics',
    ]);
    expect(items[1]).toHaveTextContent('Geology');
    // As the player's clock says it (0:16), not rounded up to 17 s.
    expect(items[1]).toHaveTextContent('16 s');
    expect(within(recent).getByRole('link', { name: 'Plate tectonics' })).toHaveAttribute(
      'href',
      `#/lectures/${older.id}`,
    );
    expect(recent).not.toHaveTextContent(/later version/);
  });

  it('says how to record when there are no lectures yet', async () => {
    renderApp(createLecturesTestEngine(), '/');
    const recent = await screen.findByRole('region', { name: 'Recent lectures' });
    expect(await within(recent).findByText('No lectures yet')).toBeInTheDocument();
    expect(within(recent).getByRole('link', { name: 'Record a lecture' })).toHaveAttribute(
      'href',
      '#/lectures/record',
    );
  });

  it('points to the Classes page when there are no classes', async () => {
    renderApp(createLecturesTestEngine(), '/');
    expect(await screen.findByRole('region', { name: "What's next" })).toHaveTextContent(
      'Nothing scheduled yet',
    );
    expect(screen.getByRole('link', { name: 'Add your classes' })).toHaveAttribute('href', '#/classes');
  });
});
