import { useMemo, type ReactNode } from 'react';
import { Navigate, NavLink, useParams, useSearchParams } from 'react-router';
import type { AppInfo, Settings } from '@little-monster/core/contract';
import { PageHeader } from '../../app/components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../app/components/States';
import type { SettingsSectionEntry } from '../../app/feature';
import { formatBytes } from '../../app/format';
import { useFeatureRegistry } from '../../app/feature-registry';
import { useUi, type ThemePreference } from '../../app/ui-store';
import { BackupsSection } from './BackupsSection';
import { GraphicsSetting } from './GraphicsSetting';
import { useAppInfo, useSettings, useUpdateSettings } from './queries';
import { SETTINGS_SECTION_ORDER, settingsPath, type SettingsSectionId } from './settings-link';

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
    <Section id="general-heading" title="General">
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
        <GraphicsSetting settings={settings} />
      </div>
    </Section>
  );
}

function YourData({ info }: { info: AppInfo | undefined }) {
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
      title="Data & backups"
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

      <BackupsSection />
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

function GeneralSection() {
  const settings = useSettings();
  if (settings.isPending) return <Loading label="Loading settings…" />;
  if (settings.isError)
    return <ErrorState error={settings.error} what="your settings" onRetry={() => void settings.refetch()} />;
  return <Preferences settings={settings.data} />;
}

function DataSection() {
  const info = useAppInfo();
  if (info.isError)
    return (
      <ErrorState error={info.error} what="information about this app" onRetry={() => void info.refetch()} />
    );
  return <YourData info={info.data} />;
}

function AboutSection() {
  const info = useAppInfo();
  if (info.isError)
    return (
      <ErrorState error={info.error} what="information about this app" onRetry={() => void info.refetch()} />
    );
  return info.data ? <About info={info.data} /> : <Loading label="Loading app information…" />;
}

/** Settings' own sections; the features add theirs (Models, Voices, Tutor, Account). */
const OWN_SECTIONS: readonly SettingsSectionEntry[] = [
  { id: 'general', label: 'General', Section: GeneralSection },
  { id: 'data', label: 'Data & backups', Section: DataSection },
  { id: 'about', label: 'About', Section: AboutSection },
];

/** Every section in the navigation's order; one it does not name goes before About. */
function useSettingsSections(): readonly SettingsSectionEntry[] {
  const { features } = useFeatureRegistry();
  return useMemo(() => {
    const order: readonly string[] = SETTINGS_SECTION_ORDER;
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.indexOf('about') - 0.5);
    return [...OWN_SECTIONS, ...features.flatMap(({ settingsSection }) => settingsSection ?? [])].sort(
      (a, b) => rank(a.id) - rank(b.id),
    );
  }, [features]);
}

/**
 * Settings: a navigation of sections on the left, one section at a time on the right, each at
 * its own address (`#/settings/models`) so a link from elsewhere opens the right one.
 */
export function SettingsPage() {
  const { section } = useParams();
  const [params] = useSearchParams();
  const sections = useSettingsSections();
  // `/settings` opens General; the older `/settings?section=tutor` opens that section.
  if (!section)
    return <Navigate to={settingsPath((params.get('section') ?? 'general') as SettingsSectionId)} replace />;
  const current = sections.find((entry) => entry.id === section);
  return (
    <>
      <PageHeader title="Settings" />
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings">
          <ul>
            {sections.map((entry) => (
              <li key={entry.id}>
                <NavLink to={`/settings/${entry.id}`} className="settings-nav-link">
                  {entry.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-content">
          {current ? (
            <current.Section />
          ) : (
            <EmptyState title="There is no such section of Settings">
              <p>Choose one from the list.</p>
            </EmptyState>
          )}
        </div>
      </div>
    </>
  );
}
