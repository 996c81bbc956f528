import { useId, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { StudyScope, StudyStats } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { ErrorState, Loading } from '../../app/components/States';
import { OptimiserSection } from './OptimiserSection';
import { useDecks, useStudyStats } from './queries';
import { scopeFromParams, studyPath } from './study-links';

const CHART_WIDTH = 680;
const CHART_HEIGHT = 200;
const REVIEW_DAYS_SHOWN = 90;

const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);
/** "12-07" from "2026-12-07": short labels under the bars. */
const shortDate = (isoDate: string) => isoDate.slice(5);

/**
 * A chart with the same numbers as a table beside it (a screen reader reads the table; the chart's
 * SVG is hidden from it), so nothing is only in the picture.
 */
function ChartSection<Row extends Record<string, string | number>>({
  title,
  rows,
  x,
  y,
  columns,
  empty,
}: {
  title: string;
  rows: Row[];
  x: keyof Row & string;
  y: keyof Row & string;
  columns: { key: keyof Row & string; label: string; format?: (value: Row[keyof Row]) => string }[];
  empty: string;
}) {
  const headingId = useId();
  return (
    <section className="card study-chart" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <div className="study-chart-plot" aria-hidden="true">
            <BarChart<Record<string, string | number>> width={CHART_WIDTH} height={CHART_HEIGHT} data={rows}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey={x as string}
                tickFormatter={(value: string) => (value.length === 10 ? shortDate(value) : value)}
              />
              <YAxis allowDecimals={false} width={40} />
              <Tooltip />
              <Bar dataKey={y as string} fill="var(--accent, #4f6bed)" isAnimationActive={false} />
            </BarChart>
          </div>
          <details className="study-chart-table">
            <summary>Show as a table</summary>
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column.key} scope="col">
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={String(row[x])}>
                    {columns.map((column) => (
                      <td key={column.key}>
                        {column.format ? column.format(row[column.key]) : String(row[column.key])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="study-figure">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function StatsView({ stats }: { stats: StudyStats }) {
  const { states } = stats;
  const recentReviews = stats.reviewsPerDay.slice(-REVIEW_DAYS_SHOWN);
  const retention = stats.retentionByMonth.map((month) => ({
    ...month,
    retention: month.reviews > 0 ? Math.round((month.passed / month.reviews) * 100) : 0,
  }));
  return (
    <>
      <section className="card" aria-label="At a glance">
        <dl className="study-figures">
          <Figure label="Streak">
            {stats.streak} {stats.streak === 1 ? 'day' : 'days'}
          </Figure>
          <Figure label="Retention, last 30 days">{percent(stats.retention30Days)}</Figure>
          <Figure label="Time studied, last 30 days">{Math.round(stats.minutes30Days)} min</Figure>
          <Figure label="Cards">
            {states.new} new, {states.learning + states.relearning} learning, {states.review} in review,{' '}
            {states.suspended} suspended
          </Figure>
        </dl>
      </section>
      <ChartSection
        title="Due in the next 30 days"
        rows={stats.forecast}
        x="date"
        y="due"
        columns={[
          { key: 'date', label: 'Day' },
          { key: 'due', label: 'Cards due' },
        ]}
        empty="Nothing is scheduled."
      />
      <ChartSection
        title="Reviews per day"
        rows={recentReviews}
        x="date"
        y="reviews"
        columns={[
          { key: 'date', label: 'Day' },
          { key: 'reviews', label: 'Answers' },
          { key: 'minutes', label: 'Minutes' },
        ]}
        empty="No reviews yet. Answers you give show here day by day."
      />
      <ChartSection
        title="Retention per month"
        rows={retention}
        x="month"
        y="retention"
        columns={[
          { key: 'month', label: 'Month' },
          { key: 'reviews', label: 'Reviews' },
          { key: 'passed', label: 'Remembered' },
          { key: 'retention', label: 'Retention', format: (value) => `${String(value)}%` },
        ]}
        empty="No reviews of learned cards yet: retention shows once cards come back for review."
      />
    </>
  );
}

/** Statistics for a class's decks or one deck: the due forecast, reviews per day and retention, each with a table. */
export function StatsPage() {
  const [params] = useSearchParams();
  const scope: StudyScope = scopeFromParams(params);
  const stats = useStudyStats(scope);
  const decks = useDecks(scope.deckId ? { deckId: scope.deckId } : { classId: scope.classId });
  const deckName = scope.deckId ? decks.data?.[0]?.name : undefined;
  return (
    <>
      <PageHeader
        title="Statistics"
        description={deckName ? `Deck ${deckName}` : 'How your reviews are going and what is coming.'}
        actions={
          <Link className="button" to={studyPath(scope)}>
            Back to your decks
          </Link>
        }
      />
      {stats.isPending ? <Loading label="Counting your reviews" /> : null}
      {stats.isError ? (
        <ErrorState error={stats.error} what="the statistics" onRetry={() => void stats.refetch()} />
      ) : null}
      {stats.data ? <StatsView stats={stats.data} /> : null}
      {scope.deckId ? <OptimiserSection deckId={scope.deckId} /> : null}
    </>
  );
}
