import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { X } from 'lucide-react';
import { formatClock, type TutorSource } from '@little-monster/core/contract';
import { Loading } from '../../app/components/States';
import { describeLocation, sourcePath, sourceTypeLabel } from '../../app/source-link';
import { useTranscript } from '../lectures/queries';
import { useMaterialPage } from '../library/queries';
import { markPassage } from './passage-parts';

/** Segments said this long before or after a cited stretch of a lecture are shown around it. */
const CONTEXT_MS = 15_000;

function Excerpt({ source, note }: { source: TutorSource; note?: string }) {
  return (
    <>
      {note ? <p className="muted">{note}</p> : null}
      <blockquote className="source-excerpt">
        {source.excerpt || 'No text was kept for this passage.'}
      </blockquote>
    </>
  );
}

/** The cited page with the passage marked; scrolled so the passage is in view. */
function PagePassage({ source, page }: { source: TutorSource; page: number }) {
  const text = useMaterialPage(source.ref.id, page);
  const mark = useRef<HTMLElement>(null);
  const data = text.data?.pageNumber === page ? text.data : undefined;
  useEffect(() => {
    // A block body: Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
    mark.current?.scrollIntoView?.({ block: 'center' });
  }, [data]);
  if (text.isError)
    return <Excerpt source={source} note="This page could not be opened; the passage read:" />;
  if (!data) return <Loading label="Opening the page…" />;
  const spans = source.location.kind === 'pages' ? source.location.spans.filter((s) => s.page === page) : [];
  const fields = [
    { text: data.text, ranges: spans.filter((s) => s.field !== 'notes') },
    { text: data.notes ?? '', ranges: spans.filter((s) => s.field === 'notes') },
  ].filter((field) => field.text.trim().length > 0);
  if (fields.length === 0) return <Excerpt source={source} />;
  const parts = fields.map((field) => markPassage(field.text, field.ranges));
  // The first marked piece is the one scrolled into view.
  const firstField = parts.findIndex((pieces) => pieces.some((part) => part.cited));
  const firstPart = firstField === -1 ? -1 : parts[firstField]!.findIndex((part) => part.cited);
  return (
    <div className="source-text">
      {parts.map((pieces, fieldIndex) => (
        <p key={fieldIndex}>
          {pieces.map((part, partIndex) =>
            part.cited ? (
              <mark
                key={partIndex}
                ref={fieldIndex === firstField && partIndex === firstPart ? mark : undefined}
              >
                {part.text}
              </mark>
            ) : (
              part.text
            ),
          )}
        </p>
      ))}
    </div>
  );
}

/** The lines said around the cited seconds, those inside them marked. */
function LecturePassage({ source }: { source: TutorSource }) {
  const transcript = useTranscript(source.ref.id);
  const mark = useRef<HTMLLIElement>(null);
  const location = source.location.kind === 'time' ? source.location : null;
  const startMs = (location?.startSec ?? 0) * 1000;
  const endMs = (location?.endSec ?? 0) * 1000;
  const lines = (transcript.data?.segments ?? []).filter(
    (line) => line.endMs >= startMs - CONTEXT_MS && line.startMs <= endMs + CONTEXT_MS,
  );
  useEffect(() => {
    mark.current?.scrollIntoView?.({ block: 'center' });
  }, [lines.length]);
  if (transcript.isError)
    return <Excerpt source={source} note="The transcript could not be opened; the passage read:" />;
  if (transcript.isPending) return <Loading label="Opening the transcript…" />;
  if (lines.length === 0) return <Excerpt source={source} />;
  const isCited = (line: { startMs: number; endMs: number }) => line.endMs > startMs && line.startMs < endMs;
  const firstCited = lines.find(isCited)?.id;
  return (
    <ol className="source-lines">
      {lines.map((line) => {
        const cited = isCited(line);
        return (
          <li
            key={line.id}
            ref={line.id === firstCited ? mark : undefined}
            className={cited ? 'source-line-cited' : undefined}
          >
            <span className="source-line-time">{formatClock(line.startMs)}</span>
            {cited ? <mark>{line.text}</mark> : <span>{line.text}</span>}
          </li>
        );
      })}
    </ol>
  );
}

function Passage({ source }: { source: TutorSource }) {
  if (source.ref.kind === 'lecture' && source.location.kind === 'time')
    return <LecturePassage source={source} />;
  if (source.ref.kind === 'material' && source.location.kind === 'pages') {
    const page = source.location.pageStart ?? source.location.spans[0]?.page ?? null;
    if (page !== null) return <PagePassage key={`${source.ref.id}:${page}`} source={source} page={page} />;
  }
  return <Excerpt source={source} />;
}

function openLabel(source: TutorSource): string {
  if (source.ref.kind === 'lecture')
    return source.location.kind === 'time'
      ? `Play the lecture from ${formatClock(source.location.startSec * 1000)}`
      : 'Open the lecture';
  if (source.ref.kind === 'material') return 'Open in the viewer';
  return 'Open in Study';
}

export interface SourcePanelProps {
  source: TutorSource;
  onClose(): void;
}

/**
 * A cited passage beside the chat: its page (or the lines of the lecture) with the passage
 * marked, and a link to open the whole source. The conversation stays where it was; focus moves
 * here and goes back to the citation when the panel closes.
 */
export function SourcePanel({ source, onClose }: SourcePanelProps) {
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const opener = useRef<Element | null>(null);
  const spot = describeLocation(source);

  useEffect(() => {
    opener.current ??= document.activeElement;
    panel.current?.focus();
  }, [source]);

  function close() {
    onClose();
    const back = opener.current;
    if (back instanceof HTMLElement && back.isConnected) requestAnimationFrame(() => back.focus());
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  }

  return (
    <aside
      ref={panel}
      className="tutor-source"
      aria-label="Source passage"
      aria-describedby={headingId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="tutor-source-head">
        <div className="tutor-source-title">
          <span className="cite-n" aria-hidden="true">
            {source.n}
          </span>
          <h2 id={headingId} className="card-title">
            {source.title}
          </h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close the source" onClick={close}>
          <X size={18} aria-hidden="true" />
        </button>
      </header>
      <p className="muted tutor-source-where">
        {sourceTypeLabel(source)}
        {spot ? ` · ${spot}` : ''}
      </p>
      <div className="tutor-source-body">
        <Passage source={source} />
      </div>
      <div className="tutor-source-foot">
        <Link to={sourcePath(source)} className="button button-small">
          {openLabel(source)}
        </Link>
      </div>
    </aside>
  );
}
