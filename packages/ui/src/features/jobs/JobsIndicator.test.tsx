import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine, makeJob } from '../../test-support/test-engine';

describe('background jobs indicator', () => {
  it('lists running and queued jobs with their progress and cancels one', async () => {
    const running = makeJob({ title: 'Import slides', kind: 'ingest', status: 'running', progress: 0.25 });
    const queued = makeJob({ title: 'Transcribe lecture', kind: 'transcribe', status: 'queued' });
    const finished = makeJob({ title: 'Old backup', status: 'succeeded', progress: 1 });
    const engine = createTestEngine({ jobs: [running, queued, finished] });
    const { user } = renderApp(engine, '/');
    const jobs = await screen.findByRole('region', { name: 'Background jobs' });

    const importing = await within(jobs).findByRole('listitem', { name: 'Import slides' });
    expect(importing).toHaveTextContent('25%');
    expect(within(jobs).getByRole('listitem', { name: 'Transcribe lecture' })).toHaveTextContent(
      'Waiting to start',
    );
    expect(jobs).not.toHaveTextContent('Old backup');

    act(() =>
      engine.transport.emit({
        name: 'job.progress',
        payload: { id: running.id, kind: 'ingest', progress: 0.6, message: 'Page 6 of 10' },
      }),
    );
    await waitFor(() => expect(importing).toHaveTextContent('60% · Page 6 of 10'));

    await user.click(within(importing).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(within(jobs).queryByRole('listitem', { name: 'Import slides' })).not.toBeInTheDocument(),
    );
    expect(engine.jobs.find((job) => job.id === running.id)?.status).toBe('cancelled');
  });

  it('tells the student when a job fails', async () => {
    const job = makeJob({ title: 'Back up your data', status: 'running' });
    const engine = createTestEngine({ jobs: [job] });
    // A page that reads only what this engine holds, so the one alert is the job's.
    renderApp(engine, '/classes');
    await screen.findByRole('listitem', { name: 'Back up your data' });
    act(() =>
      engine.transport.emit({
        name: 'job.updated',
        payload: { job: { ...job, status: 'failed', error: 'The backups folder is not writable.' } },
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('“Back up your data” failed');
    expect(alert).toHaveTextContent('The backups folder is not writable.');
  });
});
