import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { useActiveJobs, useCancelJob } from '../jobs/queries';
import { GenerateForm } from './GenerateForm';
import { useGeneratedSets, useQuizAttempts } from './queries';

/** Generation jobs under way, with their progress and a Cancel button. */
function RunningGenerations() {
  const jobs = useActiveJobs();
  const cancel = useCancelJob();
  const running = (jobs.data ?? []).filter((job) => job.kind === 'generate');
  if (running.length === 0) return null;
  return (
    <ul className="generate-jobs" aria-label="Generating">
      {running.map((job) => (
        <li key={job.id} className="card">
          <span>{job.title}</span>
          <progress max={1} value={job.progress ?? undefined} aria-label={`${job.title} progress`} />
          <span className="muted">{job.message ?? (job.status === 'queued' ? 'Waiting' : 'Starting')}</span>
          <button type="button" className="button button-small" onClick={() => cancel.mutate(job.id)}>
            Cancel
          </button>
        </li>
      ))}
    </ul>
  );
}

function ScoreHistory() {
  const attempts = useQuizAttempts();
  if (!attempts.data || attempts.data.length === 0) return null;
  return (
    <section aria-label="Score history">
      <h2 className="subheading">Scores</h2>
      <ul className="generate-scores">
        {attempts.data.map((attempt) => (
          <li key={attempt.id}>
            <Link to={`/quizzes/${attempt.setId}?attempt=${attempt.id}`}>{attempt.title}</Link>{' '}
            <strong>
              {attempt.score}/{attempt.total}
            </strong>{' '}
            <span className="muted">{new Date(attempt.createdAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Quizzes and flashcards generated from the student's material: make, list, scores. */
export function QuizzesPage() {
  const [params] = useSearchParams();
  const sets = useGeneratedSets();
  return (
    <div className="page generate-page">
      <PageHeader
        title="Quizzes"
        description="Quizzes and flashcards written from your own material, each question tied to the page or moment it came from."
      />
      <GenerateForm initialSource={params.get('from')} />
      <RunningGenerations />
      {sets.isPending ? (
        <Loading label="Loading quizzes" />
      ) : sets.isError ? (
        <ErrorState error={sets.error} what="the quizzes" onRetry={() => void sets.refetch()} />
      ) : sets.data.length === 0 ? (
        <EmptyState title="Nothing generated yet">
          Choose a material or a lecture above and generate a quiz or flashcards from it.
        </EmptyState>
      ) : (
        <ul className="generate-sets" aria-label="Generated">
          {sets.data.map((set) => (
            <li key={set.id} className="card">
              <Link to={`/quizzes/${set.id}`}>{set.title}</Link>
              <span className="badge">{set.kind === 'quiz' ? 'Quiz' : 'Flashcards'}</span>
              <span className="muted">
                {' '}
                {set.items} {set.kind === 'quiz' ? 'questions' : 'cards'}
                {set.madeBy.cloud ? ` · by ${set.madeBy.label} (cloud)` : ''}
              </span>
              {set.staleItems > 0 ? (
                <span className="badge badge-warning">{set.staleItems} with a changed source</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ScoreHistory />
    </div>
  );
}
