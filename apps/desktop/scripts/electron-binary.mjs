/**
 * The Electron binary for `npm start`. npm install skips Electron's download (root package.json
 * `allowScripts`), so npm install works offline; the first start downloads it instead. A failed
 * download is remembered, so later starts say they are trying again rather than "first start".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot } from './electron-native.mjs';

const require = createRequire(join(repoRoot, 'package.json'));

/** Where the last failed download is written down (node_modules goes with a fresh install). */
export const DOWNLOAD_STATE_FILE = join(
  repoRoot,
  'node_modules',
  '.cache',
  'little-monster',
  'electron-download.json',
);

/** The installed Electron binary, or undefined (the electron package throws when it has none). */
export function installedElectronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Runs electron's own install script (@electron/get: mirrors, cache and checksums as npm would). */
function runElectronInstaller() {
  const download = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const cause = (download.stderr ?? '')
    .split('\n')
    .find((line) => /Error/.test(line))
    ?.trim();
  return download.status === 0 ? { ok: true } : { ok: false, cause: cause ?? `exit code ${download.status}` };
}

/** The sentence printed before a download: honest about an earlier failure. */
export function downloadNotice(lastFailure) {
  return lastFailure
    ? `Trying again to download Electron (the last try, ${new Date(lastFailure.at).toLocaleString()}, failed: ${lastFailure.cause})...`
    : 'Downloading Electron (first start only)...';
}

function readLastFailure(stateFile, version) {
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    return state.version === version ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Electron binary, downloading it when it is missing.
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void, stateFile?: string,
 *   version?: string, install?: () => { ok: boolean, cause?: string },
 *   find?: () => string | undefined }} [options] (the last four for tests)
 * @returns {{ binary: string } | { reason: string }}
 */
export function electronBinary({
  env = process.env,
  log = console.log,
  stateFile = DOWNLOAD_STATE_FILE,
  version = require('electron/package.json').version,
  install = runElectronInstaller,
  find = installedElectronBinary,
} = {}) {
  const installed = find();
  if (installed) return { binary: installed };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  log(downloadNotice(readLastFailure(stateFile, version)));
  const outcome = install();
  const binary = outcome.ok ? find() : undefined;
  if (binary) {
    rmSync(stateFile, { force: true });
    return { binary };
  }
  const cause = outcome.cause ?? 'the download left no binary';
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ version, at: new Date().toISOString(), cause }));
  return { reason: `the Electron binary could not be downloaded (${cause})` };
}
