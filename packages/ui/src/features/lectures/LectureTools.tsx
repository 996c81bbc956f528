import { useId, useState, type FormEvent } from 'react';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type Lecture,
  type LectureBookmark,
  type TranscriptStatus,
} from '@little-monster/core/contract';
import { useJob } from '../jobs/queries';
import { useModels } from '../models/queries';
import { useSettings } from '../settings/queries';
import { downloadFile } from './download';
import { formatClock, transcriptLabel } from './lecture-text';
import { useAddBookmark, useExportTranscript, useRemoveBookmark, useTranscribe } from './queries';
import { installedSpeechModels, SpeechModelCallToAction } from './SpeechModelCallToAction';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  txt: 'Plain text (.txt)',
  srt: 'Subtitles (.srt)',
  vtt: 'Web subtitles (.vtt)',
  md: 'Markdown (.md)',
};

/** Marked moments: each plays from there; a new one marks where playback is. */
export function Bookmarks({
  lecture,
  bookmarks,
  positionMs,
  onPlay,
}: {
  lecture: Lecture;
  bookmarks: readonly LectureBookmark[];
  positionMs: number;
  onPlay(ms: number): void;
}) {
  const add = useAddBookmark();
  const remove = useRemoveBookmark(lecture.id);
  const [note, setNote] = useState('');
  const headingId = useId();
  const noteId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(
      { id: lecture.id, atMs: Math.round(positionMs), note: note.trim() },
      { onSuccess: () => setNote('') },
    );
  }

  return (
    <section className="card lecture-bookmarks" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        Bookmarks
      </h2>
      {bookmarks.length === 0 ? <p className="muted">No marked moments yet.</p> : null}
      <ul className="bookmark-list" aria-label="Marked moments">
        {[...bookmarks]
          .sort((a, b) => a.atMs - b.atMs)
          .map((bookmark) => (
            <li key={bookmark.id} className="bookmark">
              <button type="button" className="bookmark-play" onClick={() => onPlay(bookmark.atMs)}>
                <span className="bookmark-time">{formatClock(bookmark.atMs)}</span>{' '}
                <span>{bookmark.note || 'Important'}</span>
              </button>
              <button
                type="button"
                className="button button-quiet button-small"
                aria-label={`Remove the bookmark at ${formatClock(bookmark.atMs)}`}
                disabled={remove.isPending}
                onClick={() => remove.mutate(bookmark.id)}
              >
                Remove
              </button>
            </li>
          ))}
      </ul>
      {lecture.status !== 'recording' ? (
        <form className="bookmark-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={noteId}>Note (optional)</label>
            <input
              id={noteId}
              type="text"
              value={note}
              maxLength={1000}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <button type="submit" className="button" disabled={add.isPending}>
            Bookmark {formatClock(positionMs)}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** TXT, SRT, VTT or Markdown of the transcript, saved through the browser's download. */
export function ExportTranscript({ lectureId, disabled }: { lectureId: string; disabled: boolean }) {
  const [format, setFormat] = useState<ExportFormat>('srt');
  const exporting = useExportTranscript();
  const fieldId = useId();
  return (
    <form
      className="transcript-export"
      aria-label="Export the transcript"
      onSubmit={(event) => {
        event.preventDefault();
        exporting.mutate(
          { lectureId, format },
          {
            onSuccess: ({ fileName, mimeType, content }) =>
              downloadFile(new Blob([content], { type: mimeType }), fileName),
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={fieldId}>Format</label>
        <select id={fieldId} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((value) => (
            <option key={value} value={value}>
              {FORMAT_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={disabled || exporting.isPending}>
        Export
      </button>
    </form>
  );
}

function JobProgress({ jobId }: { jobId: string }) {
  const { data: job } = useJob(jobId);
  if (!job || job.status !== 'running') return null;
  return (
    <>
      <progress
        className="import-progress"
        aria-label="Transcription progress"
        max={1}
        {...(job.progress === null ? {} : { value: job.progress })}
      />
      {job.progress !== null ? <span> {Math.round(job.progress * 100)}%</span> : null}
      {job.message ? <span className="muted"> · {job.message}</span> : null}
    </>
  );
}

/**
 * Where the transcript stands, and transcribing (again) with a chosen installed speech model:
 * "record now, process later" with a larger model. Without any speech model, what to install.
 */
export function TranscriptStatusPanel({
  lecture,
  status,
  hasLines,
}: {
  lecture: Lecture;
  status: TranscriptStatus;
  /** Whether any transcript line exists: only then is transcribing done "again". */
  hasLines: boolean;
}) {
  const models = useModels();
  const settings = useSettings();
  const transcribe = useTranscribe();
  const installed = installedSpeechModels(models.data);
  const preferred = settings.data?.transcriptionModelId;
  const [chosen, setChosen] = useState<string | null>(null);
  const modelId =
    chosen ??
    (installed.some((model) => model.id === status.modelId) ? status.modelId : null) ??
    (installed.some((model) => model.id === preferred) ? preferred : null) ??
    installed[0]?.id ??
    '';
  const busy = status.state === 'queued' || status.state === 'running' || transcribe.isPending;
  const fieldId = useId();
  const canTranscribe = lecture.status === 'recorded' || lecture.status === 'recovered';
  const modelName = models.data?.find((model) => model.id === status.modelId)?.name ?? status.modelId;

  return (
    <div className="transcript-status">
      <p role="status">
        <span className={`badge transcript-${status.state}`}>{transcriptLabel(status)}</span>
        {status.modelId && status.state !== 'none' ? <span className="muted"> with {modelName}</span> : null}
        {status.jobId && status.state === 'running' ? <JobProgress jobId={status.jobId} /> : null}
      </p>
      {status.state === 'failed' && status.error ? <p className="text-error">{status.error}</p> : null}
      {models.isSuccess && installed.length === 0 ? (
        <SpeechModelCallToAction
          why={
            status.state === 'none'
              ? 'Install a speech model to write this lecture’s transcript; its audio is already saved.'
              : 'To transcribe this lecture again, install a speech model.'
          }
        />
      ) : null}
      {installed.length > 0 && canTranscribe ? (
        <form
          className="transcribe-form"
          onSubmit={(event) => {
            event.preventDefault();
            transcribe.mutate({ lectureId: lecture.id, ...(modelId ? { modelId } : {}) });
          }}
        >
          <div className="field">
            <label htmlFor={fieldId}>Speech model</label>
            <select id={fieldId} value={modelId} onChange={(e) => setChosen(e.target.value)}>
              {installed.map((model) => (
                <option key={model.id} value={model.id}>
                  {model.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button" disabled={busy}>
            {hasLines ? 'Transcribe again with this model' : 'Transcribe'}
          </button>
        </form>
      ) : null}
    </div>
  );
}
