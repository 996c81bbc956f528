/**
 * The Electron builds of the V8-ABI native modules for the installed Electron (see
 * electron-native-layout.mjs), and whether they match the installed Electron and module versions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBuildDir, electronBuildStamp } from './electron-native-layout.mjs';

export const desktopDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(desktopDir, '..', '..');
const require = createRequire(join(repoRoot, 'package.json'));

export const electronVersion = () => require('electron/package.json').version;

/** The installed (Node-built) package folder of a module, as the workspace resolves it. */
export const installedModuleDir = (name) => dirname(require.resolve(`${name}/package.json`));

export const moduleVersion = (name) =>
  JSON.parse(readFileSync(join(installedModuleDir(name), 'package.json'), 'utf8')).version;

/** `apps/desktop/.electron-native/<electron version>/node_modules/<name>` (git-ignored, never shipped). */
export const electronNativeDir = (name) => electronBuildDir(desktopDir, electronVersion(), name);

export function writeStamp(name) {
  return {
    file: electronBuildStamp(electronNativeDir(name)),
    content: JSON.stringify({ electron: electronVersion(), version: moduleVersion(name) }),
  };
}

/** True when the Electron build of `name` exists for the installed Electron and module versions. */
export function isElectronBuildCurrent(name) {
  const file = electronBuildStamp(electronNativeDir(name));
  if (!existsSync(file)) return false;
  try {
    const stamp = JSON.parse(readFileSync(file, 'utf8'));
    return stamp.electron === electronVersion() && stamp.version === moduleVersion(name);
  } catch {
    return false;
  }
}
