#!/usr/bin/env node
/**
 * `npm run dev` needs the V8-ABI native modules (better-sqlite3) built for Electron, while the
 * tests of packages/core need them built for Node. Rebuilding node_modules in place would break
 * one or the other, so this builds a separate copy for Electron under .electron-native/ and the
 * development build of the engine loads that copy (build.mjs --dev).
 *
 * It first tries the module's prebuilt binary for this Electron (prebuild-install), then compiles
 * it (node-gyp, which needs a C++ toolchain). Either needs the internet once; afterwards it is
 * skipped until Electron or the module is upgraded.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
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

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env } });
  return result.status === 0;
}

function nodeGypScript() {
  // npm hands its own node-gyp to scripts it runs; otherwise use the workspace's.
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  return require.resolve('node-gyp/bin/node-gyp.js');
}

function buildForElectron(name) {
  const target = electronNativeDir(name);
  const version = electronVersion();
  console.log(`Building ${name} for Electron ${version} in ${target}`);
  const source = installedModuleDir(name);
  const nodeBuild = join(source, 'build');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // The package's sources without its Node build.
  cpSync(source, target, {
    recursive: true,
    filter: (path) => path !== nodeBuild && !path.startsWith(nodeBuild + sep),
  });

  const prebuilt = run(
    process.execPath,
    [
      require.resolve('prebuild-install/bin.js'),
      '--runtime=electron',
      `--target=${version}`,
      `--arch=${process.arch}`,
      `--platform=${process.platform}`,
    ],
    target,
  );
  const built =
    prebuilt ||
    run(
      process.execPath,
      [
        nodeGypScript(),
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      target,
    );
  if (!built) {
    rmSync(target, { recursive: true, force: true });
    throw new Error(
      `Could not build ${name} for Electron ${version}. It needs the internet (to download a prebuilt ` +
        'binary or the Electron headers) and, without a prebuilt binary, a C++ toolchain.',
    );
  }
  const stamp = writeStamp(name);
  writeFileSync(stamp.file, stamp.content);
}

try {
  for (const name of ELECTRON_ABI_MODULES) {
    if (!isElectronBuildCurrent(name)) buildForElectron(name);
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
