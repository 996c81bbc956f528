import { useState } from 'react';
import type { OptimisationSummary } from '@little-monster/core/contract';
import { ErrorState, Loading } from '../../app/components/States';
import { useCancelJob, useJob } from '../jobs/queries';
import { useOptimise, useOptimiser } from './queries';

const score = (summary: OptimisationSummary['before']) =>
  `log-loss ${summary.logLoss.toFixed(3)}, RMSE ${(summary.rmse * 100).toFixed(1)}%`;

function Outcome({ summary }: { summary: OptimisationSummary }) {
  return (
    <div role="status">
      <p>
        {summary.adopted
          ? 'Your cards are now scheduled with a model fitted to your own reviews.'
          : 'The fitted model did not predict your reviews better, so the deck keeps its model.'}
      </p>
      <p className="muted">
        On {summary.heldOutItems} reviews it did not learn from: before {score(summary.before)}; fitted{' '}
        {score(summary.after)}.
      </p>
    </div>
  );
}

/**
 * Fits FSRS to the deck's own history once it has enough reviews, as a background job with
 * progress and cancel, and says whether the fitted model was kept and why.
 */
export function OptimiserSection({ deckId }: { deckId: string }) {
  const status = useOptimiser(deckId);
  const optimise = useOptimise();
  const cancel = useCancelJob();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const running = job.data && (job.data.status === 'queued' || job.data.status === 'running');
  return (
    <section className="card" aria-label="Your memory model">
      <h2 className="card-title">Your memory model</h2>
      {status.isPending ? <Loading label="Counting your reviews" /> : null}
      {status.isError ? (
        <ErrorState error={status.error} what="the deck’s reviews" onRetry={() => void status.refetch()} />
      ) : null}
      {status.data ? (
        <>
          <p>
            {status.data.ownWeights
              ? 'This deck is scheduled with a model fitted to your reviews.'
              : 'This deck is scheduled with FSRS’s standard model.'}{' '}
            {status.data.reviews >= status.data.needed
              ? `Fitting it to your ${status.data.reviews} reviews can bring cards back closer to when you would forget them.`
              : `After ${status.data.needed} reviews it can be fitted to how you remember (${status.data.reviews} so far).`}
          </p>
          {status.data.reviews >= status.data.needed ? (
            <button
              type="button"
              className="button"
              disabled={optimise.isPending || Boolean(running)}
              onClick={() => optimise.mutate(deckId, { onSuccess: (started) => setJobId(started.id) })}
            >
              Fit to my reviews
            </button>
          ) : null}
        </>
      ) : null}
      {optimise.isError ? (
        <p className="text-error" role="alert">
          {optimise.error.message}
        </p>
      ) : null}
      {running ? (
        <div className="study-optimiser-progress">
          <progress aria-label="Fitting your memory model" max={1} value={job.data!.progress ?? undefined} />{' '}
          <span className="muted">{job.data!.message ?? 'Waiting to start'}</span>{' '}
          <button type="button" className="button button-small" onClick={() => cancel.mutate(jobId!)}>
            Cancel
          </button>
        </div>
      ) : null}
      {job.data?.status === 'succeeded' ? <Outcome summary={job.data.result as OptimisationSummary} /> : null}
      {job.data?.status === 'failed' ? (
        <p className="text-error" role="alert">
          Not fitted: {job.data.error}
        </p>
      ) : null}
      {job.data?.status === 'cancelled' ? <p role="status">Cancelled; the deck keeps its model.</p> : null}
    </section>
  );
}
