#!/usr/bin/env node
/**
 * Electron needs the V8-ABI native modules (better-sqlite3) built for Electron, while the tests
 * and the browser mode need them built for Node. Rebuilding node_modules in place would break one
 * or the other, so this builds a separate copy for Electron under .electron-native/, which the
 * engine bundle loads when Electron runs it from the repository (src/engine/abi-module-path.ts).
 * `npm start` and `npm run dev` both run it first.
 *
 * It first tries the module's prebuilt binary for this Electron (prebuild-install), then compiles
 * it (node-gyp, which needs a C++ toolchain). Either needs the internet once; afterwards it is
 * skipped until Electron or the module is upgraded.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_ABI_MODULES } from './native-modules.mjs';
import {
  electronNativeDir,
  electronVersion,
  installedModuleDir,
  isElectronBuildCurrent,
  repoRoot,
  writeStamp,
} from './electron-native.mjs';

const require = createRequire(join(repoRoot, 'package.json'));

/**
 * The environment for the build tools. npm hands its scripts `npm_config_nodedir` when one is
 * configured (e.g. Node's own headers, for offline node-gyp): node-gyp would then compile against
 * Node's headers and write a binary Electron cannot load, so the build fetches Electron's own.
 */
function buildEnvironment() {
  const env = { ...process.env };
  delete env.npm_config_nodedir;
  delete env.NPM_CONFIG_NODEDIR;
  return env;
}

function nodeGypScript() {
  // npm hands its own node-gyp to scripts it runs; otherwise use the workspace's.
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  return require.resolve('node-gyp/bin/node-gyp.js');
}

function buildForElectron(name, run) {
  const target = electronNativeDir(name);
  const version = electronVersion();
  const source = installedModuleDir(name);
  const nodeBuild = join(source, 'build');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // The package's sources without its Node build.
  cpSync(source, target, {
    recursive: true,
    filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep),
  });
  const electron = [`--target=${version}`, `--arch=${process.arch}`];
  const built =
    run(
      require.resolve('prebuild-install/bin.js'),
      ['--runtime=electron', ...electron, `--platform=${process.platform}`],
      target,
    ) ||
    run(
      nodeGypScript(),
      [
        'rebuild',
        '--release',
        '--runtime=electron',
        ...electron,
        '--dist-url=https://electronjs.org/headers',
      ],
      target,
    );
  if (!built) {
    rmSync(target, { recursive: true, force: true });
    return false;
  }
  const stamp = writeStamp(name);
  writeFileSync(stamp.file, stamp.content);
  return true;
}

/**
 * Builds what is missing or stale. `quiet` keeps the build tools' output to itself (npm start
 * says in one sentence why the desktop app cannot start instead).
 * @param {{ quiet?: boolean, log?: (line: string) => void }} [options]
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function prepareElectronNative({ quiet = false, log = console.log } = {}) {
  const run = (script, args, cwd) =>
    spawnSync(process.execPath, [script, ...args], {
      cwd,
      stdio: quiet ? 'ignore' : 'inherit',
      env: buildEnvironment(),
    }).status === 0;
  for (const name of ELECTRON_ABI_MODULES.filter((module) => !isElectronBuildCurrent(module))) {
    log(`Building ${name} for Electron ${electronVersion()} (once per Electron version)...`);
    if (!buildForElectron(name, run)) {
      return {
        ok: false,
        reason:
          `${name} could not be built for Electron ${electronVersion()}: that needs the internet once ` +
          '(a prebuilt binary or the Electron headers) and, without a prebuilt binary, a C++ toolchain',
      };
    }
  }
  return { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const prepared = prepareElectronNative();
  if (!prepared.ok) {
    console.error(`${prepared.reason}.`);
    process.exit(1);
  }
}
