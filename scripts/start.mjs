#!/usr/bin/env node
// `npm start`: builds the app and starts the desktop app. Where Electron cannot start (its
// binary could not be downloaded, or there is no display), it says why and serves the same
// app in the browser mode instead, printing its address.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options }).status === 0;
}

/** The Electron binary, downloading it on first start (npm install skips that step). */
function electronBinary() {
  const find = () => {
    try {
      const binary = require('electron');
      return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
    } catch {
      return undefined;
    }
  };
  if (find()) return { binary: find() };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  console.log('Downloading Electron (first start only)...');
  const installer = require.resolve('electron/install.js');
  const download = spawnSync(process.execPath, [installer], { cwd: root, encoding: 'utf8' });
  if (download.status !== 0 || !find()) {
    const cause = (download.stderr ?? '')
      .split('\n')
      .find((line) => /Error/.test(line))
      ?.trim();
    return { reason: `the Electron binary could not be downloaded${cause ? ` (${cause})` : ''}` };
  }
  return { binary: find() };
}

function displayProblem() {
  if (process.platform !== 'linux') return undefined;
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY
    ? undefined
    : 'there is no graphical display (DISPLAY is not set)';
}

if (!existsSync(new URL('../node_modules', import.meta.url))) {
  console.error('Install the dependencies first: npm install && npm start');
  process.exit(1);
}
if (!run('npx', ['--no', '--', 'turbo', 'run', 'build', '--output-logs=errors-only'])) process.exit(1);

const electron = electronBinary();
const problem = electron.reason ?? displayProblem();
if (!problem) {
  const child = spawn(electron.binary, ['apps/desktop'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`\nThe desktop app cannot start here: ${problem}.`);
  console.log('Serving the same app in the browser mode instead.\n');
  const child = spawn(process.execPath, ['packages/core/dist/server/main.js', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
