import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const html = document.documentElement;

describe('Settings page', () => {
  it('saves the theme in the engine and applies it to <html>', async () => {
    const engine = createTestEngine({ settings: { theme: 'light' } });
    const { user } = renderApp(engine, '/settings/general');
    const dark = await screen.findByRole('radio', { name: 'Dark' });
    await waitFor(() => expect(html).toHaveAttribute('data-theme', 'light'));

    await user.click(dark);
    expect(html).toHaveAttribute('data-theme', 'dark');
    await waitFor(() => expect(engine.settings.theme).toBe('dark'));
    expect(dark).toBeChecked();
  });

  it('puts the saved theme back and explains when the engine cannot save it', async () => {
    const engine = createTestEngine({ settings: { theme: 'light' } });
    engine.handlers['settings.update'] = () => {
      throw rpcError('STORAGE_UNAVAILABLE', 'The database is read-only.');
    };
    const { user } = renderApp(engine, '/settings/general');
    await user.click(await screen.findByRole('radio', { name: 'Dark' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Your data could not be saved or read');
    expect(html).toHaveAttribute('data-theme', 'light');
    expect(screen.getByRole('radio', { name: 'Light' })).toBeChecked();
  });

  it('follows a theme changed elsewhere (settings.changed event)', async () => {
    const engine = createTestEngine({ settings: { theme: 'light' } });
    renderApp(engine, '/settings/general');
    await screen.findByRole('radio', { name: 'Light' });
    act(() =>
      engine.transport.emit({
        name: 'settings.changed',
        payload: { settings: { ...engine.settings, theme: 'dark', weekStartsOn: 'sunday' } },
      }),
    );
    await waitFor(() => expect(html).toHaveAttribute('data-theme', 'dark'));
    expect(screen.getByLabelText('Week starts on')).toHaveValue('sunday');
  });

  it('changes the first day of the week and the number of background jobs', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/settings/general');
    await user.selectOptions(await screen.findByLabelText('Week starts on'), 'sunday');
    await user.selectOptions(screen.getByLabelText('Background jobs at once'), '4');
    await waitFor(() => expect(engine.settings).toMatchObject({ weekStartsOn: 'sunday', jobConcurrency: 4 }));
  });

  it('shows the graphics card local AI runs on, and the processor once the card is turned off', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/settings/general');
    const status = () => document.getElementById('use-gpu-status')!;
    await waitFor(() =>
      expect(status()).toHaveTextContent(
        'Local AI runs on the graphics card: AMD Radeon 780M via Vulkan (3.0 GB of 4.0 GB free).',
      ),
    );
    await user.selectOptions(screen.getByLabelText('Use the graphics card'), 'off');
    await waitFor(() => expect(engine.settings.useGpu).toBe('off'));
    await waitFor(() => expect(status()).toHaveTextContent('Local AI runs on the processor.'));
  });

  it('says why local AI is not on the graphics card when it fell back to the processor', async () => {
    const engine = createTestEngine();
    const note =
      'The graphics card could not be used (CUDA: its driver is missing or does not work with this build), so local AI runs on the processor.';
    engine.handlers['app.graphics'] = () => ({ backend: null, devices: [], vram: null, note });
    renderApp(engine, '/settings/general');
    const status = await screen.findByText(note);
    expect(status.parentElement).toHaveTextContent(`Local AI runs on the processor.${note}`);
  });

  it('backs up now, shows the job’s progress from events and lists the new backup', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/settings/data');
    expect(await screen.findByText('No backups yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Back up now' }));

    const job = await waitFor(() => {
      const started = engine.jobs[0];
      if (!started) throw new Error('no backup job yet');
      return started;
    });
    const yourData = screen.getByRole('region', { name: 'Data & backups' });
    expect(await within(yourData).findByText(/Waiting to start/)).toBeInTheDocument();
    // The sidebar lists it among the background jobs too.
    expect(screen.getByRole('region', { name: 'Background jobs' })).toHaveTextContent('Back up your data');
    const running = { ...job, status: 'running' as const, progress: 0 };
    act(() => engine.transport.emit({ name: 'job.updated', payload: { job: running } }));
    act(() =>
      engine.transport.emit({
        name: 'job.progress',
        payload: { id: job.id, kind: 'backup', progress: 0.4, message: null },
      }),
    );
    expect(await within(yourData).findByText('Backing up… 40%')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back up now' })).toBeDisabled();

    engine.backups = [
      {
        fileName: 'little-monster-2026-10-17.lmbackup',
        path: '/home/student/.local/share/little-monster/backups/little-monster-2026-10-17.lmbackup',
        kind: 'archive',
        automatic: false,
        bytes: 2_400_000,
        createdAt: new Date().toISOString(),
        restorable: true,
      },
    ];
    act(() =>
      engine.transport.emit({
        name: 'job.updated',
        payload: { job: { ...running, status: 'succeeded', progress: 1 } },
      }),
    );
    expect(await within(yourData).findByText('Backup finished.')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Background jobs' })).toHaveTextContent('Nothing running.');
    const table = await screen.findByRole('table', { name: 'Backups' });
    expect(within(table).getByText('little-monster-2026-10-17.lmbackup')).toBeInTheDocument();
    expect(within(table).getByText('2.3 MB')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back up now' })).toBeEnabled();
  });

  it('restores a backup after asking, and says what was restored and where the replaced data is kept', async () => {
    const backupPath = '/media/usb/little-monster-2026-10-17.lmbackup';
    const engine = createTestEngine();
    const restoreJob = { id: '00000000-0000-4000-8000-0000000000aa' };
    engine.handlers['backups.restore'] = () => ({ jobId: restoreJob.id });
    const { user } = renderApp(engine, '/settings/data');
    await user.type(await screen.findByLabelText('Restore from a backup file'), backupPath);
    await user.click(screen.getByRole('button', { name: 'Restore…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this backup?' });
    expect(dialog).toHaveTextContent('kept as a backup of its own');
    expect(engine.callsTo('backups.restore')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(engine.callsTo('backups.restore')).toEqual([{ path: backupPath }]));

    act(() =>
      engine.transport.emit({
        name: 'backups.restored',
        payload: {
          source: 'little-monster-2026-10-17.lmbackup',
          replaced: '/data/backups/replaced-2026-10-18',
          missingModels: ['whisper-base-en'],
        },
      }),
    );
    const toast = await screen.findByText(/Everything is as it was in little-monster-2026-10-17\.lmbackup/);
    expect(toast).toHaveTextContent('/data/backups/replaced-2026-10-18');
    expect(toast).toHaveTextContent('whisper-base-en');
  });

  it('in the desktop app, backs up to the file chosen in the save dialog', async () => {
    const engine = createTestEngine();
    const chosen = '/media/usb/semester.lmbackup';
    engine.transport.localFiles = { pathOf: () => '', chooseBackupFile: () => Promise.resolve(chosen) };
    const { user } = renderApp(engine, '/settings/data');
    await user.click(await screen.findByRole('button', { name: 'Back up to a file…' }));
    await waitFor(() => expect(engine.callsTo('backups.create')).toEqual([{ target: chosen }]));
  });

  it('turns automatic backups off and sets how many are kept', async () => {
    const engine = createTestEngine();
    const { user } = renderApp(engine, '/settings/data');
    await user.selectOptions(await screen.findByLabelText('Automatic backups kept'), '14');
    await waitFor(() => expect(engine.settings.autoBackup.keep).toBe(14));
    await user.click(screen.getByLabelText('Back up by itself while Little Monster is open'));
    await waitFor(() =>
      expect(engine.settings.autoBackup).toMatchObject({ enabled: false, keep: 14, everyHours: 24 }),
    );
  });

  it('shows where the data lives, and what the app runs on in About', async () => {
    const { user } = renderApp(createTestEngine(), '/settings/data');
    expect(await screen.findByText('/home/student/.local/share/little-monster/logs')).toBeInTheDocument();
    await user.click(
      within(screen.getByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'About' }),
    );
    await waitFor(() => expect(window.location.hash).toBe('#/settings/about'));
    const versions = await screen.findByRole('table', { name: 'Component versions' });
    expect(within(versions).getByRole('row', { name: 'node 20.19.0' })).toBeInTheDocument();
    expect(within(versions).getByRole('row', { name: 'sqlite-vec v0.1.9' })).toBeInTheDocument();
    expect(screen.getByText('Test CPU, 2 cores')).toBeInTheDocument();
    expect(screen.getByText('200 GB of 500 GB')).toBeInTheDocument();
    expect(screen.queryByText('/home/student/.local/share/little-monster/logs')).not.toBeInTheDocument();
  });
});

describe('Settings sections', () => {
  const nav = () => screen.findByRole('navigation', { name: 'Settings' });

  it('lists its sections in order, each at its own address, and shows one at a time', async () => {
    const { user } = renderApp(createTestEngine(), '/settings');
    // Settings opens on General.
    await waitFor(() => expect(window.location.hash).toBe('#/settings/general'));
    const links = within(await nav()).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual([
      'General',
      'Models',
      'Voices',
      'Tutor',
      'Data & backups',
      'Account',
      'About',
    ]);
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '#/settings/general',
      '#/settings/models',
      '#/settings/voices',
      '#/settings/tutor',
      '#/settings/data',
      '#/settings/account',
      '#/settings/about',
    ]);
    expect(within(await nav()).getByRole('link', { name: 'General' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(await screen.findByRole('region', { name: 'General' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Models' })).not.toBeInTheDocument();

    await user.click(within(await nav()).getByRole('link', { name: 'Models' }));
    expect(await screen.findByRole('region', { name: 'Models' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'General' })).not.toBeInTheDocument();
    expect(within(await nav()).getByRole('link', { name: 'Models' })).toHaveAttribute('aria-current', 'page');
    // The sidebar still marks Settings as the page the student is on.
    expect(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Settings' }),
    ).toHaveAttribute('aria-current', 'page');
  });

  it('opens the section a link names, also from the older ?section= address', async () => {
    renderApp(createTestEngine(), '/settings?section=tutor');
    await waitFor(() => expect(window.location.hash).toBe('#/settings/tutor'));
    expect(await screen.findByRole('region', { name: 'Tutor' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'General' })).not.toBeInTheDocument();
  });

  it('says so for an address that names no section, and keeps the navigation', async () => {
    renderApp(createTestEngine(), '/settings/printers');
    expect(await screen.findByText('There is no such section of Settings')).toBeInTheDocument();
    expect(within(await nav()).getByRole('link', { name: 'General' })).toBeInTheDocument();
  });
});
