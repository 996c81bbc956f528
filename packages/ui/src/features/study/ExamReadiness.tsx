import { useId } from 'react';
import type { Deck } from '@little-monster/core/contract';
import { useExamForecast, useSetExamTarget } from './queries';

const DEFAULT_TARGET = 0.9;
const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

/** For a deck whose class has an exam: expected recall on the day, the work until then, and "ready for the exam". */
export function ExamReadiness({ deck }: { deck: Deck }) {
  const forecast = useExamForecast(deck.id);
  const setTarget = useSetExamTarget();
  const toggleId = useId();
  const exam = forecast.data?.exam;
  if (!forecast.data || !exam) return null;
  const { expectedRecall, recallWithoutStudy, days, warning } = forecast.data;
  const busiest = days.reduce((max, day) => Math.max(max, day.reviews + day.newCards), 0);
  const targeting = deck.examTargetRecall !== null;
  return (
    <section className="study-exam" aria-label={`${exam.title} on ${exam.date}`}>
      <p>
        <strong>
          {exam.title} on {exam.date}:
        </strong>{' '}
        expected recall on the day {percent(expectedRecall)} if you keep up with your reviews (
        {percent(recallWithoutStudy)} with no more study). Up to {busiest} cards a day until then.
      </p>
      <label htmlFor={toggleId} className="study-exam-toggle">
        <input
          id={toggleId}
          type="checkbox"
          checked={targeting}
          disabled={setTarget.isPending}
          onChange={() =>
            setTarget.mutate({ id: deck.id, examTargetRecall: targeting ? null : DEFAULT_TARGET })
          }
        />
        Ready for the exam: bring every card back in time to recall it at{' '}
        {percent(deck.examTargetRecall ?? DEFAULT_TARGET)} on the day
      </label>
      {warning ? (
        <p className="study-exam-warning" role="note">
          {warning}
        </p>
      ) : null}
    </section>
  );
}
