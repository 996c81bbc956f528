/**
 * Where a build of a V8-ABI native module (better-sqlite3) for Electron lives beside the app when
 * it runs from the repository: `.electron-native/<electron version>/node_modules/<name>`, with a
 * stamp written once the build is complete. Shared by the scripts that make it
 * (prepare-electron-native.mjs) and the engine bundle that loads it (src/engine/abi-module-path.ts);
 * plain path arithmetic, so the engine can import it.
 */
import { join } from 'node:path';

/** @param {string} appDir @param {string} electronVersion @param {string} name */
export const electronBuildDir = (appDir, electronVersion, name) =>
  join(appDir, '.electron-native', electronVersion, 'node_modules', name);

/** @param {string} moduleDir */
export const electronBuildStamp = (moduleDir) => join(moduleDir, '.built-for-electron.json');
