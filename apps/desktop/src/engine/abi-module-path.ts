import { existsSync } from 'node:fs';
import { electronBuildDir, electronBuildStamp } from '../../scripts/electron-native-layout.mjs';

/**
 * What the engine bundle `require`s for a native module compiled against V8's ABI
 * (better-sqlite3), which loads only in the runtime it was built for:
 * - run by Electron from the repository (`npm start`, `npm run dev`): the build for this Electron
 *   in `<appDir>/.electron-native/` (scripts/prepare-electron-native.mjs), so node_modules keeps
 *   the Node build that the tests and the browser mode load;
 * - packaged (electron-builder rebuilt node_modules for Electron, and ships no such folder), or
 *   run by Node (the engine bundle tests): the package in node_modules, by its name.
 */
export function abiModulePath(
  name: string,
  runtime: { appDir: string; electronVersion: string | undefined },
): string {
  if (!runtime.electronVersion) return name;
  const electronBuild = electronBuildDir(runtime.appDir, runtime.electronVersion, name);
  return existsSync(electronBuildStamp(electronBuild)) ? electronBuild : name;
}
