/**
 * Where the development copy of the V8-ABI native modules built for Electron lives, and
 * whether it matches the installed Electron and module versions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const desktopDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(desktopDir, '..', '..');
const require = createRequire(join(repoRoot, 'package.json'));

export const electronVersion = () => require('electron/package.json').version;

/** The installed (Node-built) package folder of a module, as the workspace resolves it. */
export const installedModuleDir = (name) => dirname(require.resolve(`${name}/package.json`));

export const moduleVersion = (name) =>
  JSON.parse(readFileSync(join(installedModuleDir(name), 'package.json'), 'utf8')).version;

/** `.electron-native/<electron version>/node_modules/<name>` (git-ignored). */
export const electronNativeRoot = () => join(desktopDir, '.electron-native', electronVersion());
export const electronNativeDir = (name) => join(electronNativeRoot(), 'node_modules', name);
const stampFile = (name) => join(electronNativeDir(name), '.built-for-electron.json');

export function writeStamp(name) {
  return {
    file: stampFile(name),
    content: JSON.stringify({ electron: electronVersion(), version: moduleVersion(name) }),
  };
}

/** True when the Electron build of `name` exists for the installed Electron and module versions. */
export function isElectronBuildCurrent(name) {
  const file = stampFile(name);
  if (!existsSync(file)) return false;
  try {
    const stamp = JSON.parse(readFileSync(file, 'utf8'));
    return stamp.electron === electronVersion() && stamp.version === moduleVersion(name);
  } catch {
    return false;
  }
}
