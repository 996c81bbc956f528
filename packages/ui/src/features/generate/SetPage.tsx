import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { GeneratedItem, QuizAttempt } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { ErrorState, Loading } from '../../app/components/States';
import { CardReview } from './CardReview';
import { useGeneratedSet, useGradeQuiz, useOverrule, useQuestionToCard } from './queries';
import { QuizRunner } from './QuizRunner';
import { SourceLine, StaleFlag } from './StaleFlag';

/** The right answer of a question, as the results show it. */
function rightAnswer(item: GeneratedItem): string {
  const { content } = item;
  if (content.type === 'multiple-choice') return content.options[content.answer] ?? '';
  if (content.type === 'true-false') return content.answer ? 'True' : 'False';
  if (content.type === 'short-answer') return content.expectedAnswer;
  return '';
}

function questionText(item: GeneratedItem): string {
  const { content } = item;
  if (content.type === 'true-false') return `True or false: ${content.statement}`;
  if (content.type === 'multiple-choice' || content.type === 'short-answer') return content.question;
  return content.type === 'basic' ? content.front : content.text;
}

function givenAnswer(item: GeneratedItem, response: QuizAttempt['answers'][number]['response']): string {
  if (response === null || response === '') return '(no answer)';
  if (item.content.type === 'multiple-choice' && typeof response === 'number')
    return item.content.options[response] ?? '';
  if (typeof response === 'boolean') return response ? 'True' : 'False';
  return String(response);
}

function Results({ attempt, items }: { attempt: QuizAttempt; items: GeneratedItem[] }) {
  const overrule = useOverrule();
  const toCard = useQuestionToCard();
  const [carded, setCarded] = useState<Set<string>>(new Set());
  const [shown, setShown] = useState(attempt);
  return (
    <section className="card" aria-label="Results">
      <h2 className="card-title">
        Score: {shown.score} of {shown.total}
      </h2>
      <ol className="generate-results">
        {shown.answers.map((answer) => {
          const item = items.find((i) => i.id === answer.itemId);
          if (!item) return null;
          return (
            <li key={answer.itemId} className={answer.correct ? 'is-right' : 'is-wrong'}>
              <p>
                <strong>{answer.correct ? 'Right' : 'Wrong'}</strong>
                {answer.overruled ? <span className="badge">overruled</span> : null} {questionText(item)}
              </p>
              <p>
                Your answer: {givenAnswer(item, answer.response)} · Expected: {rightAnswer(item)}
              </p>
              {answer.reasoning ? <p className="muted">Grader: {answer.reasoning}</p> : null}
              {'explanation' in item.content && item.content.explanation ? (
                <p className="muted">{item.content.explanation}</p>
              ) : null}
              <div className="generate-result-actions">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() =>
                    overrule.mutate(
                      { attemptId: shown.id, itemId: answer.itemId, correct: !answer.correct },
                      { onSuccess: setShown },
                    )
                  }
                >
                  {answer.correct ? 'Mark wrong' : 'Mark right'}
                </button>
                {!answer.correct ? (
                  carded.has(item.id) ? (
                    <span role="status">Added to your deck</span>
                  ) : (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() =>
                        toCard.mutate(item.id, {
                          onSuccess: () => setCarded((old) => new Set(old).add(item.id)),
                        })
                      }
                    >
                      Make a flashcard
                    </button>
                  )
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function QuizView({ setId, items }: { setId: string; items: GeneratedItem[] }) {
  const grade = useGradeQuiz();
  const [taking, setTaking] = useState(false);
  if (grade.data) return <Results attempt={grade.data} items={items} />;
  if (taking)
    return (
      <>
        <QuizRunner
          items={items}
          busy={grade.isPending}
          onFinish={(answers) => grade.mutate({ setId, answers })}
        />
        {grade.isError ? (
          <p className="text-error" role="alert">
            {grade.error.message}
          </p>
        ) : null}
      </>
    );
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setTaking(true)}>
        Take the quiz
      </button>
      <ol className="generate-items" aria-label="Questions">
        {items.map((item) => (
          <li key={item.id} className="card">
            <p>{questionText(item)}</p>
            <SourceLine item={item} />
            <StaleFlag item={item} />
          </li>
        ))}
      </ol>
    </>
  );
}

/** One generated quiz (take it, see its questions and their sources) or set of proposed cards (review them). */
export function SetPage() {
  const { id = '' } = useParams();
  const set = useGeneratedSet(id);
  if (set.isPending) return <Loading label="Loading" />;
  if (set.isError)
    return <ErrorState error={set.error} what="this quiz" onRetry={() => void set.refetch()} />;
  const { set: meta, items } = set.data;
  return (
    <div className="page generate-page">
      <PageHeader
        title={meta.title}
        description={
          <>
            {meta.kind === 'quiz' ? `${items.length} questions` : `${items.length} cards`} written by{' '}
            {meta.madeBy.label}
            {meta.madeBy.cloud ? ' (cloud)' : ''}. <Link to="/quizzes">All quizzes</Link>
          </>
        }
      />
      {meta.kind === 'quiz' ? (
        <QuizView setId={meta.id} items={items} />
      ) : (
        <CardReview setId={meta.id} items={items} />
      )}
    </div>
  );
}
