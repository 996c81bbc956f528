#!/usr/bin/env node
// `npm start`: builds the app and starts the desktop app, with better-sqlite3 built for
// Electron (apps/desktop/scripts/prepare-electron-native.mjs). Where the desktop app cannot
// start (no Electron binary, no display, or no Electron build of the native modules), it says
// why and serves the same app in the browser mode instead, printing its address. Stop signals
// are passed on to what it started (apps/desktop/scripts/run-child.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary } from '../apps/desktop/scripts/electron-binary.mjs';
import { displayProblem, planLaunch } from '../apps/desktop/scripts/launch-plan.mjs';
import { prepareElectronNative } from '../apps/desktop/scripts/prepare-electron-native.mjs';
import { runChild } from '../apps/desktop/scripts/run-child.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(new URL('../node_modules', import.meta.url))) {
  console.error('Install the dependencies first: npm install && npm start');
  process.exit(1);
}
const build = spawnSync('npx', ['--no', '--', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(1);

const plan = planLaunch({
  electronBinary: () => electronBinary(),
  displayProblem: () => displayProblem(),
  prepareElectronNative: () => prepareElectronNative({ quiet: true }),
});
if (plan.mode === 'desktop') {
  runChild(plan.electron, ['apps/desktop'], { cwd: root });
} else {
  console.log(`\nThe desktop app cannot start here: ${plan.reason}.`);
  console.log('Serving the same app in the browser mode instead.\n');
  // 'ipc': the engine also stops if this process is killed in a way it cannot pass on (SIGKILL).
  runChild(process.execPath, ['packages/core/dist/server/main.js', ...process.argv.slice(2)], {
    cwd: root,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
}
