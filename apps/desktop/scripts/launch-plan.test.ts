import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBinary } from './electron-binary.mjs';
import { displayProblem, planLaunch } from './launch-plan.mjs';

describe('npm start: desktop app or browser mode', () => {
  const steps = () => {
    const ran: string[] = [];
    return {
      ran,
      ok: {
        electronBinary: () => (ran.push('electron'), { binary: '/opt/electron' }),
        displayProblem: () => (ran.push('display'), undefined),
        prepareElectronNative: () => (ran.push('native'), { ok: true as const }),
      },
    };
  };

  it('starts Electron when the binary, a display and the Electron build of the native modules are there', () => {
    const { ok, ran } = steps();
    expect(planLaunch(ok)).toEqual({ mode: 'desktop', electron: '/opt/electron' });
    expect(ran).toEqual(['electron', 'display', 'native']);
  });

  it('falls back to the browser mode with the first reason, without preparing what it cannot use', () => {
    const noBinary = steps();
    expect(
      planLaunch({
        ...noBinary.ok,
        electronBinary: () => ({ reason: 'the Electron binary could not be downloaded' }),
      }),
    ).toEqual({ mode: 'browser', reason: 'the Electron binary could not be downloaded' });
    expect(noBinary.ran).toEqual([]);

    const noDisplay = steps();
    expect(planLaunch({ ...noDisplay.ok, displayProblem: () => 'there is no graphical display' })).toEqual({
      mode: 'browser',
      reason: 'there is no graphical display',
    });
    expect(noDisplay.ran).toEqual(['electron']);

    const noNative = steps();
    const reason = 'better-sqlite3 could not be built for Electron 41.7.1';
    expect(planLaunch({ ...noNative.ok, prepareElectronNative: () => ({ ok: false, reason }) })).toEqual({
      mode: 'browser',
      reason,
    });
  });

  it('needs a display only on Linux', () => {
    expect(displayProblem({}, 'linux')).toMatch(/no graphical display/);
    expect(displayProblem({ DISPLAY: ':0' }, 'linux')).toBeUndefined();
    expect(displayProblem({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeUndefined();
    expect(displayProblem({}, 'darwin')).toBeUndefined();
    expect(displayProblem({}, 'win32')).toBeUndefined();
  });
});

describe('the Electron binary', () => {
  let folder: string;
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('says "first start" only before the first download; after a failure it says it tries again, and why the last try failed', () => {
    folder = mkdtempSync(join(tmpdir(), 'lm-electron-download-'));
    const stateFile = join(folder, 'state', 'electron-download.json');
    const log: string[] = [];
    const attempt = (install: () => { ok: boolean; cause?: string }, found?: string) =>
      electronBinary({
        env: {},
        log: (line) => log.push(line),
        stateFile,
        version: '41.7.1',
        install,
        find: () => (installed ? found : undefined),
      });
    let installed = false;

    const offline = () => ({ ok: false, cause: 'RequestError: getaddrinfo ENOTFOUND github.com' });
    expect(attempt(offline)).toEqual({
      reason: 'the Electron binary could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com)',
    });
    expect(log).toEqual(['Downloading Electron (first start only)...']);

    expect(attempt(offline)).toHaveProperty('reason');
    expect(log[1]).toMatch(
      /^Trying again to download Electron \(the last try, .+, failed: RequestError: getaddrinfo ENOTFOUND github\.com\)\.\.\.$/,
    );

    // Once it downloads, the failure is forgotten.
    const download = () => ((installed = true), { ok: true });
    expect(attempt(download, '/opt/electron')).toEqual({ binary: '/opt/electron' });
    expect(() => readFileSync(stateFile)).toThrow();
    installed = false;
    attempt(offline);
    expect(log[3]).toBe('Downloading Electron (first start only)...');
  });

  it('does not download when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and says so', () => {
    folder = mkdtempSync(join(tmpdir(), 'lm-electron-download-'));
    const log: string[] = [];
    const outcome = electronBinary({
      env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      log: (line) => log.push(line),
      stateFile: join(folder, 'state.json'),
      version: '41.7.1',
      install: () => {
        throw new Error('must not download');
      },
      find: () => undefined,
    });
    expect(outcome).toEqual({ reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' });
    expect(log).toEqual([]);
  });
});
