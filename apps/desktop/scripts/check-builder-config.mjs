#!/usr/bin/env node
/**
 * Validates electron-builder.yml offline: electron-builder's own schema check, the Electron
 * version it would package, that the paths it names exist, what macOS needs to let the app use
 * the microphone, what each installer would ship of the native packages (shipped-natives.mjs),
 * and that every installer has a native build for every capability, as the README's platform
 * matrix says (platform-matrix.mjs; `--write-readme` rewrites that table). (Packaging itself
 * downloads Electron, so it cannot run on a machine without internet.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './electron-native.mjs';
import { matrixMarkdown, platformMatrix, README_END, README_START } from './platform-matrix.mjs';
import {
  checkShippedFiles,
  installerTakesPackage,
  nativePackages,
  shippedFiles,
  TARGETS,
} from './shipped-natives.mjs';

const require = createRequire(join(repoRoot, 'package.json'));
const {
  getConfig,
  validateConfiguration,
  computeDefaultAppDirectory,
} = require('app-builder-lib/out/util/config/config');
const { getElectronVersion } = require('app-builder-lib/out/electron/electronVersion');
const { DebugLogger } = require('builder-util');

const config = await getConfig(repoRoot, null, null);
await validateConfiguration(config, new DebugLogger(false));

const problems = [];
const appDir = await computeDefaultAppDirectory(repoRoot, config.directories?.app);
const appPackage = require(join(appDir, 'package.json'));
if (!appPackage.main || !appPackage.main.startsWith('dist/'))
  problems.push(`${appDir}/package.json "main" is not in dist/`);
const electronVersion = await getElectronVersion(repoRoot, config);

for (const resource of config.extraResources ?? []) {
  const from = join(repoRoot, resource.from);
  // models/catalog.json and resources/ may legitimately be empty while the app is young.
  if (!existsSync(from))
    console.warn(`note: extraResources "${resource.from}" does not exist yet (skipped when packaging)`);
}
// Recording lectures: macOS asks the student with this sentence, and the hardened runtime blocks
// the microphone without the entitlement (in the app and in its helper processes).
if (!config.mac?.extendInfo?.NSMicrophoneUsageDescription?.trim())
  problems.push('mac.extendInfo.NSMicrophoneUsageDescription is missing');
const AUDIO_INPUT = /<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\s*\/>/;
for (const key of ['entitlements', 'entitlementsInherit']) {
  const file = config.mac?.[key];
  if (!file) problems.push(`mac.${key} is not set`);
  else if (!existsSync(join(repoRoot, file))) problems.push(`mac.${key} ${file} does not exist`);
  else if (!AUDIO_INPUT.test(readFileSync(join(repoRoot, file), 'utf8')))
    problems.push(`mac.${key} ${file} does not grant com.apple.security.device.audio-input`);
}

const packages = nativePackages(appDir);
const outDir = join(repoRoot, config.directories?.output ?? 'dist');
const shipped = shippedFiles({ config, appDir, outDir, packages, require });
problems.push(...checkShippedFiles(shipped, packages));

const matrix = platformMatrix({
  repoRoot,
  targets: TARGETS,
  packageDir: (name) => packages.find((pkg) => pkg.name === name).dir,
  installerTakes: (target, name) => installerTakesPackage({ config, appDir, outDir, require }, target, name),
});
problems.push(...matrix.problems);
const table = `${README_START}\n\n${matrixMarkdown(matrix.rows, TARGETS)}\n\n${README_END}`;
const readmePath = join(repoRoot, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(README_START);
const end = start < 0 ? -1 : readme.indexOf(README_END, start);
if (end < 0) problems.push(`README.md has no "${README_START}" ... "${README_END}" block`);
else {
  // As Prettier writes it (the README is formatted like the rest of the repository).
  const prettier = require('prettier');
  const updated = await prettier.format(
    readme.slice(0, start) + table + readme.slice(end + README_END.length),
    { ...(await prettier.resolveConfig(readmePath)), filepath: readmePath },
  );
  if (process.argv.includes('--write-readme')) writeFileSync(readmePath, updated);
  else if (updated !== readme)
    problems.push(
      'The platform matrix in README.md is out of date: run npm run check:builder -w @little-monster/desktop -- --write-readme',
    );
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `electron-builder.yml is valid: app ${appPackage.productName} ${appPackage.version} from ${appDir}, Electron ${electronVersion}`,
);
