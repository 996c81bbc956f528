import { useState, type ReactNode } from 'react';
import type { AppInfo, Settings } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import { formatBytes, formatDateTime } from '../../app/format';
import { useFeatureRegistry } from '../../app/feature-registry';
import { useUi, type ThemePreference } from '../../app/ui-store';
import { useJob } from '../jobs/queries';
import { useAppInfo, useBackups, useCreateBackup, useSettings, useUpdateSettings } from './queries';

function Section({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      {description ? <p className="muted">{description}</p> : null}
      {children}
    </section>
  );
}

const THEMES: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function Preferences({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const themePreference = useUi((state) => state.themePreference);
  const setThemePreference = useUi((state) => state.setThemePreference);

  function chooseTheme(theme: ThemePreference) {
    // Paint at once; if the engine refuses, the settings go back and the theme follows them.
    setThemePreference(theme);
    update.mutate({ theme }, { onError: () => setThemePreference(settings.theme) });
  }

  return (
    <Section id="preferences-heading" title="Preferences">
      <fieldset className="radio-group">
        <legend>Theme</legend>
        {THEMES.map((option) => (
          <label key={option.value} className="radio">
            <input
              type="radio"
              name="theme"
              value={option.value}
              checked={themePreference === option.value}
              onChange={() => chooseTheme(option.value)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="week-starts-on">Week starts on</label>
          <select
            id="week-starts-on"
            value={settings.weekStartsOn}
            onChange={(e) => update.mutate({ weekStartsOn: e.target.value as Settings['weekStartsOn'] })}
          >
            <option value="monday">Monday</option>
            <option value="sunday">Sunday</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="job-concurrency">Background jobs at once</label>
          <select
            id="job-concurrency"
            aria-describedby="job-concurrency-hint"
            value={settings.jobConcurrency}
            onChange={(e) => update.mutate({ jobConcurrency: Number(e.target.value) })}
          >
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <p id="job-concurrency-hint" className="field-hint">
            Fewer keeps the computer responsive; more finishes imports and transcriptions sooner.
          </p>
        </div>
      </div>
    </Section>
  );
}

function BackupProgress({ jobId }: { jobId: string }) {
  const { data: job } = useJob(jobId);
  if (!job) return <p role="status">Starting the backup…</p>;
  const percent = job.progress === null ? null : Math.round(job.progress * 100);
  return (
    <div className="backup-progress" role="status">
      {job.status === 'succeeded' ? (
        <p>Backup finished.</p>
      ) : job.status === 'failed' ? (
        <p className="text-error">The backup failed: {job.error ?? 'unknown error'}. Try again.</p>
      ) : job.status === 'cancelled' ? (
        <p>The backup was cancelled.</p>
      ) : (
        <>
          <progress
            aria-label="Backup progress"
            max={1}
            {...(job.progress === null ? {} : { value: job.progress })}
          />
          <p>
            {job.status === 'queued'
              ? 'Waiting to start…'
              : `Backing up… ${percent === null ? '' : `${percent}%`}`}
            {job.message ? ` ${job.message}` : ''}
          </p>
        </>
      )}
    </div>
  );
}

function YourData({ info }: { info: AppInfo | undefined }) {
  const backups = useBackups();
  const createBackup = useCreateBackup();
  const [jobId, setJobId] = useState<string | null>(null);
  const running = useJob(jobId).data;
  const busy =
    createBackup.isPending ||
    (running !== undefined && (running.status === 'queued' || running.status === 'running'));

  const paths: [string, string | undefined][] = [
    ['Data folder', info?.paths.data],
    ['Database', info?.paths.database],
    ['Logs', info?.paths.logs],
    ['Backups', info?.paths.backups],
    ['Models', info?.paths.models],
  ];

  return (
    <Section
      id="data-heading"
      title="Your data"
      description="Everything stays on this computer, in these places."
    >
      <dl className="facts">
        {paths.map(([label, path]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code className="path">{path ?? '…'}</code>
            </dd>
          </div>
        ))}
      </dl>

      <h3 className="subheading">Backups</h3>
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => createBackup.mutate(undefined, { onSuccess: ({ jobId: id }) => setJobId(id) })}
        >
          Back up now
        </button>
      </div>
      {jobId ? <BackupProgress jobId={jobId} /> : null}
      {backups.isPending ? (
        <Loading label="Loading backups…" />
      ) : backups.isError ? (
        <ErrorState error={backups.error} what="the list of backups" onRetry={() => void backups.refetch()} />
      ) : backups.data.length === 0 ? (
        <EmptyState title="No backups yet">
          <p>A backup is a complete copy of your database in the backups folder.</p>
        </EmptyState>
      ) : (
        <table className="table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Made</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {backups.data.map((backup) => (
              <tr key={backup.fileName}>
                <td>
                  <code>{backup.fileName}</code>
                </td>
                <td>{formatDateTime(backup.createdAt)}</td>
                <td>{formatBytes(backup.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function About({ info }: { info: AppInfo }) {
  const versions: [string, string][] = Object.entries({
    'database schema': String(info.storage.schemaVersion),
    'sqlite-vec': info.storage.sqliteVec,
    FTS5: info.storage.fts5 ? 'available' : 'missing',
    // The engine's own list wins where both name the same component.
    ...info.versions,
  });
  return (
    <Section id="about-heading" title="About">
      <dl className="facts">
        <div>
          <dt>Version</dt>
          <dd>Little Monster {info.appVersion}</dd>
        </div>
        <div>
          <dt>System</dt>
          <dd>
            {info.platform} ({info.arch})
          </dd>
        </div>
        <div>
          <dt>Processor</dt>
          <dd>
            {info.cpu.model}, {info.cpu.cores} cores
          </dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>
            {formatBytes(info.memory.totalBytes)} ({formatBytes(info.memory.freeBytes)} free)
          </dd>
        </div>
        <div>
          <dt>Free disk space</dt>
          <dd>
            {info.disk
              ? `${formatBytes(info.disk.freeBytes)} of ${formatBytes(info.disk.totalBytes)}`
              : 'Unknown on this system'}
          </dd>
        </div>
      </dl>
      <table className="table" aria-label="Component versions">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Version</th>
          </tr>
        </thead>
        <tbody>
          {versions.map(([name, version]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{version}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  const info = useAppInfo();
  const { features } = useFeatureRegistry();
  return (
    <>
      <PageHeader title="Settings" />
      <div className="settings-stack">
        {settings.isPending ? (
          <Loading label="Loading settings…" />
        ) : settings.isError ? (
          <ErrorState error={settings.error} what="your settings" onRetry={() => void settings.refetch()} />
        ) : (
          <Preferences settings={settings.data} />
        )}
        {features.map(({ id, SettingsSection }) => (SettingsSection ? <SettingsSection key={id} /> : null))}
        {info.isError ? (
          <ErrorState
            error={info.error}
            what="information about this app"
            onRetry={() => void info.refetch()}
          />
        ) : (
          <YourData info={info.data} />
        )}
        {info.data ? (
          <About info={info.data} />
        ) : info.isPending ? (
          <Loading label="Loading app information…" />
        ) : null}
      </div>
    </>
  );
}
