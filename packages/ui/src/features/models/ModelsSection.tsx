import { useEffect, useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ModelEntry, ModelKind } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { explainError } from '../../app/error-messages';
import { formatBytes } from '../../app/format';
import { isRpcCallError } from '../../transport/client';
import { useCancelJob, useJob } from '../jobs/queries';
import { KIND_LABELS, WHAT_IT_ADDS, downloadLabel, sourceHost, statusLabel } from './model-text';
import { settingsPath } from '../settings/settings-link';
import { useTutorStatus } from '../tutor/queries';
import { useDeleteModel, useDownloadModel, useInstallModelFromFile, useModels } from './queries';
import { recommendedModel } from './recommended';
import { modelKeys } from './query-keys';

const isActive = (status: string | undefined) => status === 'queued' || status === 'running';

/** A download job's progress from job.progress events; the list is refreshed when it ends. */
function DownloadProgress({ model, jobId }: { model: ModelEntry; jobId: string }) {
  const { data: job } = useJob(jobId);
  const cancel = useCancelJob();
  const queryClient = useQueryClient();
  const status = job?.status;
  useEffect(() => {
    if (status && !isActive(status)) void queryClient.invalidateQueries({ queryKey: modelKeys.all });
  }, [status, queryClient]);

  if (!job) return <p role="status">Starting the download…</p>;
  if (job.status === 'succeeded') return <p role="status">Downloaded and checked.</p>;
  if (job.status === 'cancelled') return <p role="status">The download was cancelled.</p>;
  if (job.status === 'failed') {
    return (
      <p className="text-error" role="alert">
        The download failed: {job.error ?? 'unknown error'}
      </p>
    );
  }
  const percent = job.progress === null ? null : Math.round(job.progress * 100);
  return (
    <div className="backup-progress" role="status">
      <progress
        aria-label={`Download of ${model.name}`}
        max={1}
        {...(job.progress === null ? {} : { value: job.progress })}
      />
      <p>
        {job.status === 'queued'
          ? job.error
            ? `Retrying soon (${job.error})`
            : 'Waiting to start…'
          : `Downloading… ${percent === null ? '' : `${percent}%`}`}
        {job.status === 'running' && job.message ? ` (${job.message})` : ''}
      </p>
      <div className="row">
        <button
          type="button"
          className="button button-small"
          onClick={() => cancel.mutate(job.id)}
          disabled={cancel.isPending}
        >
          Cancel download
        </button>
      </div>
    </div>
  );
}

/** "Use a file I already have": a path typed by the student, checked by the engine. */
function UseFileForm({ model, onDone }: { model: ModelEntry; onDone(): void }) {
  const install = useInstallModelFromFile();
  const [path, setPath] = useState('');
  const pathId = useId();
  const hintId = useId();
  const errorId = useId();
  const refusal =
    install.error && isRpcCallError(install.error, 'INVALID_INPUT')
      ? explainError(install.error).message
      : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    install.mutate({ id: model.id, path: path.trim() }, { onSuccess: onDone });
  }

  return (
    <form className="form-grid" onSubmit={submit} aria-label={`Use your own file for ${model.name}`}>
      <div className="field span-2">
        <label htmlFor={pathId}>Path of the model file</label>
        <input
          id={pathId}
          value={path}
          onChange={(event) => setPath(event.target.value)}
          placeholder={`/home/you/Downloads/${model.id}.${model.format === 'onnx' ? 'onnx' : 'gguf'}`}
          aria-describedby={refusal ? `${hintId} ${errorId}` : hintId}
          aria-invalid={refusal ? true : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        <p id={hintId} className="field-hint">
          Type the full path of the file on this computer. It must be exactly this model (
          {formatBytes(model.bytes)}
          ); it is checked, then copied into the models folder and your file is left where it is. The desktop
          app will let you pick the file instead.
        </p>
        {refusal ? (
          <p id={errorId} className="field-error" role="alert">
            {refusal}
          </p>
        ) : null}
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={install.isPending || !path.trim()}>
          {install.isPending ? 'Checking the file…' : 'Use this file'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What the catalog says about a model: its kind, size, licence, memory fit, checksum and source. */
function ModelFacts({ model }: { model: ModelEntry }) {
  return (
    <>
      <p>{model.description}</p>
      {!model.installed ? <p className="muted">Installing it adds {WHAT_IT_ADDS[model.kind]}.</p> : null}
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[model.kind]}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(model.bytes)}</dd>
        </div>
        <div>
          <dt>Licence</dt>
          <dd>{model.license}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd className={model.fitsMemory ? undefined : 'text-error'}>{model.memoryNote}</dd>
        </div>
        <div>
          <dt>Checksum</dt>
          <dd>
            {model.verified
              ? 'Verified: the download is checked against the publisher’s checksum'
              : 'Checksum not verified by Little Monster: the file is still hashed and recorded'}
          </dd>
        </div>
        <div>
          <dt>Downloads from</dt>
          <dd>
            <code className="path">{sourceHost(model.url)}</code>
          </dd>
        </div>
      </dl>
    </>
  );
}

export interface ModelItemProps {
  model: ModelEntry;
  /**
   * A row of a list (Settings › Models): name, size and actions, with the catalog's facts behind
   * "Details". Otherwise a card with everything shown (a call to action offering one model).
   */
  compact?: boolean;
  recommended?: boolean;
}

/** One catalog model with its download, "use a file I already have" and delete controls (an <li>). */
export function ModelItem({ model, compact = false, recommended = false }: ModelItemProps) {
  const headingId = useId();
  const detailsId = useId();
  const download = useDownloadModel();
  const remove = useDeleteModel();
  const [startedJobId, setStartedJobId] = useState<string | null>(null);
  const [choosingFile, setChoosingFile] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [showingDetails, setShowingDetails] = useState(false);
  const jobId = model.downloadJobId ?? startedJobId;
  const job = useJob(jobId).data;
  const downloading = download.isPending || (jobId !== null && (job === undefined || isActive(job.status)));
  const hasFiles = model.status !== 'missing';
  const Heading = compact ? 'h4' : 'h3';

  return (
    <li className={compact ? 'model-row' : 'card'} aria-labelledby={headingId}>
      <div className="model-row-head">
        <Heading id={headingId} className="card-title">
          {model.name}
          {recommended ? <span className="badge badge-recommended">Recommended</span> : null}
          <span className="badge">{statusLabel(model)}</span>
        </Heading>
        {compact ? (
          <p className="model-row-summary">
            {formatBytes(model.bytes)}
            {model.fitsMemory ? null : <span className="text-error"> · {model.memoryNote}</span>}
          </p>
        ) : null}
      </div>
      {compact ? null : <ModelFacts model={model} />}

      {jobId ? <DownloadProgress model={model} jobId={jobId} /> : null}

      <div className="row">
        {!model.installed && !downloading ? (
          <button
            type="button"
            className={recommended || !compact ? 'button button-primary' : 'button'}
            onClick={() => download.mutate(model.id, { onSuccess: ({ jobId: id }) => setStartedJobId(id) })}
          >
            {downloadLabel(model)}
          </button>
        ) : null}
        {!model.installed && !downloading && !choosingFile ? (
          <button type="button" className="button" onClick={() => setChoosingFile(true)}>
            Use a file I already have
          </button>
        ) : null}
        {hasFiles && !downloading ? (
          <button
            type="button"
            className="button button-danger-quiet"
            onClick={() => setConfirmingDelete(true)}
          >
            {model.status === 'partial' ? 'Discard the partial download' : 'Delete'}
          </button>
        ) : null}
        {compact ? (
          <button
            type="button"
            className="button button-quiet"
            aria-expanded={showingDetails}
            aria-controls={detailsId}
            onClick={() => setShowingDetails((shown) => !shown)}
          >
            Details
          </button>
        ) : null}
      </div>

      {compact ? (
        <div id={detailsId} className="model-details" hidden={!showingDetails}>
          {showingDetails ? <ModelFacts model={model} /> : null}
        </div>
      ) : null}

      {choosingFile && !model.installed ? (
        <UseFileForm model={model} onDone={() => setChoosingFile(false)} />
      ) : null}

      {confirmingDelete ? (
        <ConfirmDialog
          title={`Delete ${model.name}?`}
          confirmLabel="Delete model"
          busy={remove.isPending}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => remove.mutate(model.id, { onSettled: () => setConfirmingDelete(false) })}
        >
          Its file ({formatBytes(model.installedBytes ?? model.partialBytes ?? model.bytes)}) is removed from
          the models folder. Features that use it stop working until you install it again.
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

/** The groups of Settings › Models, by what the models are for. Voices have their own section. */
const GROUPS: readonly { kind: ModelKind; title: string; purpose: string }[] = [
  { kind: 'llm', title: 'Chat', purpose: 'Writes the tutor’s answers on this computer.' },
  { kind: 'stt', title: 'Speech', purpose: 'Writes the transcripts of your lectures.' },
  { kind: 'embedding', title: 'Search', purpose: 'Finds passages by meaning, for search and the tutor.' },
];

/** One purpose's models: the recommended one first, then the rest in the catalog's order. */
function ModelGroup({
  title,
  purpose,
  models,
  recommended,
}: {
  title: string;
  purpose: string;
  models: readonly ModelEntry[];
  recommended: ModelEntry | null;
}) {
  const headingId = useId();
  const ordered = recommended
    ? [recommended, ...models.filter((model) => model.id !== recommended.id)]
    : models;
  return (
    <section className="model-group" aria-labelledby={headingId}>
      <h3 id={headingId} className="model-group-title">
        {title}
      </h3>
      <p className="muted">{purpose}</p>
      <ul className="model-list" aria-label={`${title} models`}>
        {ordered.map((model) => (
          <ModelItem key={model.id} model={model} compact recommended={model.id === recommended?.id} />
        ))}
      </ul>
    </section>
  );
}

/** Settings › Models: the AI models this computer has, and ways to add or remove them. */
export function ModelsSection() {
  const models = useModels();
  const tutor = useTutorStatus();
  return (
    <section className="card settings-section" aria-labelledby="models-heading">
      <h2 id="models-heading" className="card-title">
        Models
      </h2>
      <p className="muted">
        The AI features run on this computer with these models. Nothing is downloaded unless you ask for it
        here.
      </p>
      {models.isPending ? (
        <Loading label="Loading models…" />
      ) : models.isError ? (
        <ErrorState error={models.error} what="the list of models" onRetry={() => void models.refetch()} />
      ) : models.data.length === 0 ? (
        <EmptyState title="No models in this version">
          <p>Models arrive with the features that use them.</p>
        </EmptyState>
      ) : (
        <div className="model-groups">
          {GROUPS.map(({ kind, title, purpose }) => {
            const ofKind = models.data.filter((model) => model.kind === kind);
            return ofKind.length === 0 ? null : (
              <ModelGroup
                key={kind}
                title={title}
                purpose={purpose}
                models={ofKind}
                recommended={recommendedModel(kind, models.data, tutor.data?.suggestedModelId)}
              />
            );
          })}
          <p className="muted">
            Voices for reading aloud are installed in <Link to={settingsPath('voices')}>Voices</Link>, beside
            the choice of voice.
          </p>
        </div>
      )}
    </section>
  );
}
