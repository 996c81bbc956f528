import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeClass } from '../../test-support/fixtures';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

describe('Dashboard', () => {
  it('shows tomorrow’s meeting, the coming exam and honest empty sections', async () => {
    const now = new Date();
    const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
    const inTenDays = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 10);
    const isoTomorrow = ((tomorrow.getDay() + 6) % 7) + 1;
    const engine = createTestEngine({
      classes: [
        makeClass({
          name: 'Geology',
          schedule: [{ day: isoTomorrow, start: '10:15', end: '11:45', location: 'Lab 3' }],
          exams: [{ id: crypto.randomUUID(), title: 'Rocks quiz', date: isoDate(inTenDays) }],
        }),
        makeClass({
          name: 'Retired',
          archived: true,
          schedule: [{ day: isoTomorrow, start: '08:00', end: '09:00' }],
        }),
      ],
    });
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
    expect(screen.getByRole('region', { name: 'Flashcards due' })).toHaveTextContent(
      'Flashcards arrive in a later version.',
    );
    expect(screen.getByRole('region', { name: 'Recent lectures' })).toHaveTextContent(
      'Lecture recording arrives in a later version.',
    );
  });

  it('points to the Classes page when there are no classes', async () => {
    renderApp(createTestEngine(), '/');
    expect(await screen.findByRole('region', { name: "What's next" })).toHaveTextContent(
      'Nothing scheduled yet',
    );
    expect(screen.getByRole('link', { name: 'Add your classes' })).toHaveAttribute('href', '#/classes');
  });
});
