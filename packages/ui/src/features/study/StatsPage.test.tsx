import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Deck, StudyStats } from '@little-monster/core/contract';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine, makeJob } from '../../test-support/test-engine';

const deck: Deck = {
  id: crypto.randomUUID(),
  classId: null,
  name: 'Spanish',
  description: '',
  cards: 120,
  due: { new: 5, learning: 0, review: 12 },
  examTargetRecall: null,
};

const stats: StudyStats = {
  reviewsPerDay: [
    { date: '2026-12-05', reviews: 40, minutes: 12.5 },
    { date: '2026-12-06', reviews: 25, minutes: 8 },
  ],
  retentionByMonth: [{ month: '2026-12', reviews: 50, passed: 44 }],
  retention30Days: 0.88,
  forecast: Array.from({ length: 30 }, (_, day) => ({
    date: `2026-12-${String(7 + (day % 24)).padStart(2, '0')}`,
    due: day === 0 ? 17 : day,
  })),
  states: { new: 60, learning: 3, review: 50, relearning: 2, suspended: 5 },
  streak: 4,
  minutes30Days: 20.5,
};

describe('Statistics', () => {
  it('shows a deck’s figures and charts, each with its numbers as a table', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => stats;
    engine.handlers['study.decks'] = () => [deck];
    engine.handlers['study.optimiser'] = () => ({ reviews: 120, needed: 400, ownWeights: false });
    const { user, container } = renderApp(engine, `/study/stats?deck=${deck.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Statistics' })).toBeInTheDocument();
    const glance = await screen.findByRole('region', { name: 'At a glance' });
    expect(glance).toHaveTextContent('Streak4 days');
    expect(glance).toHaveTextContent('Retention, last 30 days88%');
    expect(glance).toHaveTextContent('60 new, 5 learning, 50 in review, 5 suspended');
    expect(engine.callsTo('study.stats')).toEqual([{ deckId: deck.id }]);
    await waitFor(() => expect(screen.getByText('Deck Spanish')).toBeInTheDocument());

    const forecast = screen.getByRole('region', { name: 'Due in the next 30 days' });
    // The chart is drawn (SVG bars) and the same numbers are in the table.
    expect(container.querySelectorAll('.study-chart-plot svg').length).toBe(3);
    await user.click(within(forecast).getByText('Show as a table'));
    const rows = within(within(forecast).getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(31);
    expect(rows[1]).toHaveTextContent('2026-12-0717');

    const reviews = screen.getByRole('region', { name: 'Reviews per day' });
    await user.click(within(reviews).getByText('Show as a table'));
    expect(within(reviews).getByRole('table')).toHaveTextContent('2026-12-054012.5');
    const retention = screen.getByRole('region', { name: 'Retention per month' });
    await user.click(within(retention).getByText('Show as a table'));
    expect(within(retention).getByRole('table')).toHaveTextContent('2026-12504488%');
  });

  it('says what will show when there is no history yet', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => ({
      ...stats,
      reviewsPerDay: [],
      retentionByMonth: [],
      retention30Days: null,
      streak: 0,
    });
    engine.handlers['study.decks'] = () => [deck];
    renderApp(engine, '/study/stats');
    expect(await screen.findByText(/No reviews yet/)).toBeInTheDocument();
    expect(screen.getByText(/retention shows once cards come back/)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'At a glance' })).toHaveTextContent('Retention, last 30 days–');
  });

  it('is reached from the Study page for a deck', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => stats;
    engine.handlers['study.decks'] = () => [deck];
    const { user } = renderApp(engine, '/study');
    const row = await screen.findByRole('listitem', { name: 'Spanish' });
    await user.click(within(row).getByRole('link', { name: 'Statistics of Spanish' }));
    expect(await screen.findByRole('region', { name: 'At a glance' })).toBeInTheDocument();
    expect(engine.callsTo('study.stats')).toEqual([{ deckId: deck.id }]);
  });

  it('offers a retry when the numbers cannot be read', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => {
      throw rpcError('NOT_FOUND', 'That deck no longer exists. It may have been deleted.');
    };
    engine.handlers['study.decks'] = () => [];
    renderApp(engine, `/study/stats?deck=${deck.id}`);
    expect(await screen.findByText(/That deck no longer exists/)).toBeInTheDocument();
  });

  it('fits the deck’s memory model as a job with progress, and says the fitted one was kept', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => stats;
    engine.handlers['study.decks'] = () => [deck];
    let ownWeights = false;
    engine.handlers['study.optimiser'] = () => ({ reviews: 1200, needed: 400, ownWeights });
    const job = makeJob({
      kind: 'study.optimise',
      title: 'Fitting the memory model of Spanish',
      status: 'running',
    });
    engine.handlers['study.optimise'] = () => {
      engine.jobs.push(job);
      return job;
    };
    const { user } = renderApp(engine, `/study/stats?deck=${deck.id}`);
    const model = await screen.findByRole('region', { name: 'Your memory model' });
    expect(await within(model).findByText(/Fitting it to your 1200 reviews/)).toBeInTheDocument();
    await user.click(within(model).getByRole('button', { name: 'Fit to my reviews' }));
    expect(engine.callsTo('study.optimise')).toEqual([{ deckId: deck.id }]);

    Object.assign(job, { progress: 0.5, message: 'Fitting your memory model' });
    engine.transport.emit({ name: 'job.updated', payload: { job: { ...job } } });
    const progress = await within(model).findByRole('progressbar', { name: 'Fitting your memory model' });
    expect(progress).toHaveAttribute('value', '0.5');

    ownWeights = true;
    Object.assign(job, {
      status: 'succeeded',
      progress: 1,
      result: {
        adopted: true,
        before: { logLoss: 0.412, rmse: 0.061 },
        after: { logLoss: 0.371, rmse: 0.032 },
        trainingItems: 900,
        heldOutItems: 210,
      },
    });
    engine.transport.emit({ name: 'job.updated', payload: { job: { ...job } } });
    const outcome = await within(model).findByRole('status');
    expect(outcome).toHaveTextContent('now scheduled with a model fitted to your own reviews');
    expect(outcome).toHaveTextContent('before log-loss 0.412, RMSE 6.1%; fitted log-loss 0.371, RMSE 3.2%');
    expect(within(model).queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('says how many reviews fitting needs, and offers no button before then', async () => {
    const engine = createTestEngine();
    engine.handlers['study.stats'] = () => stats;
    engine.handlers['study.decks'] = () => [deck];
    engine.handlers['study.optimiser'] = () => ({ reviews: 120, needed: 400, ownWeights: false });
    renderApp(engine, `/study/stats?deck=${deck.id}`);
    const model = await screen.findByRole('region', { name: 'Your memory model' });
    expect(await within(model).findByText(/After 400 reviews .* \(120 so far\)/)).toBeInTheDocument();
    expect(within(model).queryByRole('button')).not.toBeInTheDocument();
  });
});
