import { useEffect, useId, useRef, useState } from 'react';
import type { GeneratedItem, QuizResponse } from '@little-monster/core/contract';

/**
 * Takes a quiz one question at a time, by keyboard: 1-4 (or A-D) choose an option, T or F
 * answer true/false, Enter goes on; a short answer is typed. Graded only at the end.
 */
export function QuizRunner({
  items,
  busy,
  onFinish,
}: {
  items: GeneratedItem[];
  busy: boolean;
  onFinish(answers: { itemId: string; response: QuizResponse }[]): void;
}) {
  const [at, setAt] = useState(0);
  const [responses, setResponses] = useState<Map<string, QuizResponse>>(new Map());
  const item = items[at]!;
  const response = responses.get(item.id) ?? null;
  const last = at === items.length - 1;
  const textId = useId();
  const questionRef = useRef<HTMLDivElement>(null);
  const answer = (value: QuizResponse) => setResponses((old) => new Map(old).set(item.id, value));
  const next = () => {
    if (last) onFinish(items.map((i) => ({ itemId: i.id, response: responses.get(i.id) ?? null })));
    else setAt(at + 1);
  };

  useEffect(() => questionRef.current?.focus(), [at]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement) {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        next();
      }
      return;
    }
    const { content } = item;
    const key = event.key.toLowerCase();
    if (content.type === 'multiple-choice') {
      const index = '1234'.indexOf(key) >= 0 ? '1234'.indexOf(key) : 'abcd'.indexOf(key);
      if (index >= 0 && index < content.options.length) answer(index);
    }
    if (content.type === 'true-false' && (key === 't' || key === 'f')) answer(key === 't');
    if (event.key === 'Enter') next();
  };

  const { content } = item;
  return (
    <div className="card generate-runner" onKeyDown={onKeyDown}>
      <p className="muted">
        Question {at + 1} of {items.length}
      </p>
      <div ref={questionRef} tabIndex={-1} className="generate-question">
        {content.type === 'multiple-choice' || content.type === 'short-answer' ? (
          <h2>{content.question}</h2>
        ) : content.type === 'true-false' ? (
          <h2>True or false: {content.statement}</h2>
        ) : null}
      </div>
      {content.type === 'multiple-choice' ? (
        <div role="radiogroup" aria-label="Options" className="generate-options">
          {content.options.map((option, index) => (
            <button
              key={index}
              type="button"
              role="radio"
              aria-checked={response === index}
              className={`button generate-option${response === index ? ' is-chosen' : ''}`}
              onClick={() => answer(index)}
            >
              <kbd>{index + 1}</kbd> {option}
            </button>
          ))}
        </div>
      ) : content.type === 'true-false' ? (
        <div role="radiogroup" aria-label="True or false" className="generate-options">
          {[true, false].map((value) => (
            <button
              key={String(value)}
              type="button"
              role="radio"
              aria-checked={response === value}
              className={`button generate-option${response === value ? ' is-chosen' : ''}`}
              onClick={() => answer(value)}
            >
              <kbd>{value ? 'T' : 'F'}</kbd> {value ? 'True' : 'False'}
            </button>
          ))}
        </div>
      ) : (
        <>
          <label htmlFor={textId}>Your answer</label>
          <textarea
            id={textId}
            rows={2}
            value={typeof response === 'string' ? response : ''}
            onChange={(e) => answer(e.target.value)}
          />
        </>
      )}
      <div className="dialog-actions">
        {at > 0 ? (
          <button type="button" className="button" onClick={() => setAt(at - 1)}>
            Back
          </button>
        ) : null}
        <button type="button" className="button button-primary" disabled={busy} onClick={next}>
          {last ? (busy ? 'Grading…' : 'Finish and grade') : 'Next'}
        </button>
      </div>
    </div>
  );
}
