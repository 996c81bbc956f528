import { useId, useState, type FormEvent } from 'react';
import type { AutoBackup, Backup, Job, Settings } from '@little-monster/core/contract';
import { ConfirmDialog } from '../../app/components/ConfirmDialog';
import { useEngine } from '../../app/engine-context';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { explainError } from '../../app/error-messages';
import { formatBytes, formatDateTime } from '../../app/format';
import { useCancelJob, useJob } from '../jobs/queries';
import {
  useBackups,
  useCreateBackup,
  useDeleteBackup,
  useRestoreBackup,
  useSettings,
  useUpdateSettings,
} from './queries';

const isRunning = (job: Job | undefined) => job?.status === 'queued' || job?.status === 'running';

/** A job's progress, its outcome, and Cancel while it runs. */
function JobProgress({ jobId, label, done }: { jobId: string; label: string; done: string }) {
  const { data: job } = useJob(jobId);
  const cancel = useCancelJob();
  if (!job) return <p role="status">Starting…</p>;
  if (job.status === 'succeeded') return <p role="status">{done}</p>;
  if (job.status === 'failed') {
    return (
      <p className="text-error" role="alert">
        {job.error ?? 'It failed.'}
      </p>
    );
  }
  if (job.status === 'cancelled') return <p role="status">Cancelled. Nothing was changed.</p>;
  const percent = job.progress === null ? '' : ` ${Math.round(job.progress * 100)}%`;
  return (
    <div className="backup-progress" role="status">
      <progress
        aria-label={`${label} progress`}
        max={1}
        {...(job.progress === null ? {} : { value: job.progress })}
      />
      <p>
        {job.status === 'queued' ? 'Waiting to start…' : `${label}…${percent}`}
        {job.message ? ` ${job.message}` : ''}
      </p>
      <button type="button" className="button" onClick={() => cancel.mutate(job.id)}>
        Cancel
      </button>
    </div>
  );
}

const KIND_LABELS: Record<Backup['kind'], string> = {
  archive: 'Backup',
  replaced: 'Data a restore replaced',
  database: 'Database copy',
};

function BackupRow({ backup, onRestore, onDelete }: { backup: Backup; onRestore(): void; onDelete(): void }) {
  return (
    <tr>
      <td>
        <code>{backup.fileName}</code>
      </td>
      <td>
        {KIND_LABELS[backup.kind]}
        {backup.automatic ? ' (automatic)' : ''}
      </td>
      <td>{formatDateTime(backup.createdAt)}</td>
      <td>{formatBytes(backup.bytes)}</td>
      <td className="row">
        {backup.restorable ? (
          <button
            type="button"
            className="button"
            onClick={onRestore}
            aria-label={`Restore ${backup.fileName}`}
          >
            Restore
          </button>
        ) : null}
        <button type="button" className="button" onClick={onDelete} aria-label={`Delete ${backup.fileName}`}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** A path typed by the student (the engine runs on this computer), submitted with a button. */
function PathForm({
  label,
  hint,
  placeholder,
  submitLabel,
  busy,
  onSubmit,
}: {
  label: string;
  hint: string;
  placeholder: string;
  submitLabel: string;
  busy: boolean;
  onSubmit(path: string): void;
}) {
  const [path, setPath] = useState('');
  const id = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (path.trim()) onSubmit(path.trim());
  }
  return (
    <form className="path-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="text"
          value={path}
          placeholder={placeholder}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setPath(e.target.value)}
        />
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      </div>
      <button type="submit" className="button" disabled={busy || !path.trim()}>
        {submitLabel}
      </button>
    </form>
  );
}

const EVERY_HOURS = [
  [6, 'Every 6 hours'],
  [12, 'Every 12 hours'],
  [24, 'Every day'],
  [72, 'Every 3 days'],
  [168, 'Every week'],
] as const;
const KEEP = [3, 7, 14, 30] as const;

function AutomaticBackups({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const auto = settings.autoBackup;
  const ids = { enabled: useId(), every: useId(), keep: useId(), folder: useId() };
  const [folder, setFolder] = useState(auto.folder ?? '');
  const change = (patch: Partial<AutoBackup>) => update.mutate({ autoBackup: { ...auto, ...patch } });
  return (
    <fieldset className="auto-backups">
      <legend>Automatic backups</legend>
      <label className="checkbox" htmlFor={ids.enabled}>
        <input
          id={ids.enabled}
          type="checkbox"
          checked={auto.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
        />
        Back up by itself while Little Monster is open
      </label>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.every}>How often</label>
          <select
            id={ids.every}
            value={auto.everyHours}
            disabled={!auto.enabled}
            onChange={(e) => change({ everyHours: Number(e.target.value) })}
          >
            {EVERY_HOURS.map(([hours, label]) => (
              <option key={hours} value={hours}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.keep}>Automatic backups kept</label>
          <select
            id={ids.keep}
            value={auto.keep}
            disabled={!auto.enabled}
            onChange={(e) => change({ keep: Number(e.target.value) })}
          >
            {KEEP.map((keep) => (
              <option key={keep} value={keep}>
                The last {keep}
              </option>
            ))}
          </select>
        </div>
      </div>
      <form
        className="path-form"
        onSubmit={(event) => {
          event.preventDefault();
          change({ folder: folder.trim() || null });
        }}
      >
        <div className="field">
          <label htmlFor={ids.folder}>Folder for automatic backups</label>
          <input
            id={ids.folder}
            type="text"
            value={folder}
            disabled={!auto.enabled}
            placeholder="Empty: the backups folder above"
            onChange={(e) => setFolder(e.target.value)}
          />
        </div>
        <button
          type="submit"
          className="button"
          disabled={!auto.enabled || folder.trim() === (auto.folder ?? '')}
        >
          Use this folder
        </button>
      </form>
      {update.isError ? (
        <p className="text-error" role="alert">
          {explainError(update.error).message}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Settings › Your data: back up now or to a chosen place, restore, delete, and the automatic schedule. */
export function BackupsSection() {
  const backups = useBackups();
  const settings = useSettings();
  const createBackup = useCreateBackup();
  const restoreBackup = useRestoreBackup();
  const deleteBackup = useDeleteBackup();
  const [backupJob, setBackupJob] = useState<string | null>(null);
  const [restoreJob, setRestoreJob] = useState<string | null>(null);
  const [toRestore, setToRestore] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<Backup | null>(null);
  const backingUp = isRunning(useJob(backupJob).data) || createBackup.isPending;
  const restoring = isRunning(useJob(restoreJob).data) || restoreBackup.isPending;

  // The desktop app has the system's save dialog; the browser mode takes a typed path.
  const chooseBackupFile = useEngine().transport.localFiles?.chooseBackupFile;
  const backUp = (target?: string) =>
    createBackup.mutate(target, { onSuccess: ({ jobId }) => setBackupJob(jobId) });

  return (
    <>
      <h3 className="subheading">Backups</h3>
      <p className="muted">
        A backup holds everything you made: classes, imported files, recordings, transcripts and settings.
        Models are listed by name, not copied (download them again).
      </p>
      <div className="row">
        <button type="button" className="button button-primary" disabled={backingUp} onClick={() => backUp()}>
          Back up now
        </button>
        {chooseBackupFile ? (
          <button
            type="button"
            className="button"
            disabled={backingUp}
            onClick={() =>
              void chooseBackupFile(`little-monster-${new Date().toISOString().slice(0, 10)}.lmbackup`).then(
                (path) => path && backUp(path),
              )
            }
          >
            Back up to a file…
          </button>
        ) : null}
      </div>
      <PathForm
        label="Back up to another place"
        hint="A folder (such as a USB drive: later backups there copy only what changed) or a file name ending in .lmbackup."
        placeholder="/media/usb/Little Monster backups"
        submitLabel="Back up there"
        busy={backingUp}
        onSubmit={backUp}
      />
      {createBackup.isError ? (
        <p className="text-error" role="alert">
          {explainError(createBackup.error).message}
        </p>
      ) : null}
      {backupJob ? <JobProgress jobId={backupJob} label="Backing up" done="Backup finished." /> : null}

      {backups.isPending ? (
        <Loading label="Loading backups…" />
      ) : backups.isError ? (
        <ErrorState error={backups.error} what="the list of backups" onRetry={() => void backups.refetch()} />
      ) : backups.data.length === 0 ? (
        <EmptyState title="No backups yet">
          <p>Back up now, or let the automatic backups below do it.</p>
        </EmptyState>
      ) : (
        <table className="table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">What</th>
              <th scope="col">Made</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.data.map((backup) => (
              <BackupRow
                key={backup.path}
                backup={backup}
                onRestore={() => setToRestore(backup.path)}
                onDelete={() => setToDelete(backup)}
              />
            ))}
          </tbody>
        </table>
      )}

      <h3 className="subheading">Restore</h3>
      <PathForm
        label="Restore from a backup file"
        hint="A .lmbackup file. It is checked completely before anything changes."
        placeholder="/media/usb/little-monster-2025-01-31.lmbackup"
        submitLabel="Restore…"
        busy={restoring}
        onSubmit={setToRestore}
      />
      {restoreBackup.isError ? (
        <p className="text-error" role="alert">
          {explainError(restoreBackup.error).message}
        </p>
      ) : null}
      {restoreJob ? (
        <JobProgress
          jobId={restoreJob}
          label="Checking the backup"
          done="Checked. Putting your data in place…"
        />
      ) : null}

      {settings.data ? <AutomaticBackups settings={settings.data} /> : null}

      {toRestore ? (
        <ConfirmDialog
          title="Restore this backup?"
          confirmLabel="Restore"
          onCancel={() => setToRestore(null)}
          onConfirm={() => {
            restoreBackup.mutate(toRestore, { onSuccess: ({ jobId }) => setRestoreJob(jobId) });
            setToRestore(null);
          }}
        >
          Your data will be replaced by the backup {toRestore}. The data you have now is kept as a backup of
          its own (in the list above), so you can go back to it.
        </ConfirmDialog>
      ) : null}
      {toDelete ? (
        <ConfirmDialog
          title="Delete this backup?"
          confirmLabel="Delete"
          busy={deleteBackup.isPending}
          onCancel={() => setToDelete(null)}
          onConfirm={() => deleteBackup.mutate(toDelete.path, { onSettled: () => setToDelete(null) })}
        >
          {toDelete.fileName} will be deleted from the disk. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
