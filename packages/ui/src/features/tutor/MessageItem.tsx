import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import type { TutorMessage, TutorSource } from '@little-monster/core/contract';
import { ReadAloudButton } from '../read-aloud/ReadAloudButton';
import { AnswerMarkdown } from './AnswerMarkdown';
import { describeLocation, sourcePath } from '../../app/source-link';
import { withKnownCitations } from './citations';
import { samePassage, useSourcePanel } from './source-panel-context';
import { isLive, useMessageText } from './stream-store';

export const GENERAL_ANSWER_NOTE = "Your material doesn't cover this — general answer";

function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <>
      <button
        type="button"
        className="button button-small button-quiet"
        onClick={() => void copy()}
        aria-label={`Copy ${what}`}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span role="status" className={state === 'failed' ? 'text-error msg-note' : 'visually-hidden'}>
        {state === 'copied' ? 'Copied to the clipboard.' : state === 'failed' ? 'Could not copy.' : ''}
      </span>
    </>
  );
}

function CloudMark({ label }: { label: string }) {
  return (
    <span className="badge badge-cloud" title="This answer was written by a cloud service you set up">
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path
          d="M4.5 13h7.2a3.3 3.3 0 0 0 .4-6.6A4.5 4.5 0 0 0 3.5 7.2 2.9 2.9 0 0 0 4.5 13Z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.4"
        />
      </svg>
      Cloud answer: {label}
    </span>
  );
}

/** The passages the answer was given, under it, folded away; each opens in the panel beside the chat. */
function SourcesList({ sources }: { sources: readonly TutorSource[] }) {
  const panel = useSourcePanel();
  return (
    <details className="answer-sources">
      <summary>{sources.length === 1 ? '1 source' : `${sources.length} sources`} from your material</summary>
      <ol>
        {sources.map((source) => {
          const spot = describeLocation(source);
          return (
            <li key={source.n}>
              <span className="cite-n" aria-hidden="true">
                {source.n}
              </span>
              <div>
                {panel ? (
                  <button
                    type="button"
                    className="link-button"
                    aria-current={samePassage(panel.current, source) ? 'true' : undefined}
                    onClick={() => panel.open(source)}
                  >
                    {source.title}
                  </button>
                ) : (
                  <Link to={sourcePath(source)}>{source.title}</Link>
                )}
                {spot ? <span className="muted"> · {spot}</span> : null}
                {source.excerpt ? <p className="answer-source-excerpt">{source.excerpt}</p> : null}
              </div>
            </li>
          );
        })}
      </ol>
    </details>
  );
}

export interface AnswerActions {
  /** Only the conversation's last answer can be written again. */
  isLast: boolean;
  busy: boolean;
  onRegenerate(message: TutorMessage): void;
}

function Answer({ message, isLast, busy, onRegenerate }: { message: TutorMessage } & AnswerActions) {
  const headingId = useId();
  const text = useMessageText(message);
  const live = isLive(message);
  const { status, answeredBy, grounding, sources } = message;
  const known = new Set(sources.map((source) => source.n));
  return (
    <li className="msg msg-answer" aria-labelledby={headingId} aria-busy={live || undefined}>
      <div className="msg-head">
        <h3 id={headingId} className="msg-who">
          Tutor
        </h3>
        {answeredBy?.cloud ? <CloudMark label={answeredBy.label} /> : null}
        {answeredBy && !answeredBy.cloud ? (
          <span className="muted msg-engine">{answeredBy.label}</span>
        ) : null}
        {status === 'stopped' ? <span className="badge badge-stopped">Stopped</span> : null}
      </div>
      {grounding === 'general' ? <p className="answer-general">{GENERAL_ANSWER_NOTE}</p> : null}
      {status === 'pending' && !text ? (
        <p className="msg-pending" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading your material…
        </p>
      ) : null}
      {text ? <AnswerMarkdown text={text} sources={sources} streaming={live} /> : null}
      {status === 'streaming' ? (
        <p className="visually-hidden" role="status">
          Writing the answer…
        </p>
      ) : null}
      {status === 'stopped' && !text ? <p className="muted">Stopped before any text was written.</p> : null}
      {status === 'failed' ? (
        <div className="answer-error" role="alert">
          <p>{message.error ?? 'The answer could not be written.'}</p>
          {isLast ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => onRegenerate(message)}
            >
              Try again
            </button>
          ) : null}
        </div>
      ) : null}
      {!live && grounding !== 'general' && sources.length > 0 ? <SourcesList sources={sources} /> : null}
      {!live ? (
        <div className="msg-actions">
          {text ? <CopyButton text={withKnownCitations(text, known)} what="the answer" /> : null}
          {text ? (
            <ReadAloudButton readingKey={message.id} text={text} format="markdown" what="the answer" />
          ) : null}
          {isLast && status !== 'failed' ? (
            <button
              type="button"
              className="button button-small button-quiet"
              disabled={busy}
              onClick={() => onRegenerate(message)}
            >
              Regenerate
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function Question({ message }: { message: TutorMessage }) {
  const headingId = useId();
  return (
    <li className="msg msg-question" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        You
      </h3>
      <p className="msg-question-text">{message.text}</p>
      <div className="msg-actions">
        <CopyButton text={message.text} what="the question" />
      </div>
    </li>
  );
}

export function MessageItem({ message, ...actions }: { message: TutorMessage } & AnswerActions) {
  return message.role === 'user' ? <Question message={message} /> : <Answer message={message} {...actions} />;
}
