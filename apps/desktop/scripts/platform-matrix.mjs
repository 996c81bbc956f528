/**
 * The platform matrix: for every installer target, which native build gives each capability and
 * on which accelerators, worked out offline from package-lock.json (npm records every platform's
 * optional package at the locked version, with the os and cpu it is for) and from the runtimes a
 * package carries inside itself. check-builder-config.mjs fails when a target lacks a
 * capability, and when the README's matrix is not the one computed here (`--write-readme` rewrites it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_BINARIES } from './shipped-natives.mjs';

/** The target's binary in a package that carries every platform's (shipped-natives.mjs). */
const bundledBinary = (name, t) => BUNDLED_BINARIES.find((bundle) => bundle.package === name).path(t);

/** Node's triple in napi-rs package names (Linux builds are the glibc ones). */
const napiTriple = ({ platform, arch }) =>
  platform === 'linux'
    ? `${platform}-${arch}-gnu`
    : platform === 'win32'
      ? `${platform}-${arch}-msvc`
      : `${platform}-${arch}`;
const llamaName = ({ platform, arch }) =>
  platform === 'darwin'
    ? arch === 'arm64'
      ? 'mac-arm64-metal'
      : 'mac-x64'
    : `${platform === 'win32' ? 'win' : platform}-${arch}`;

/**
 * Each capability: the builds that can give it on a target, the first that exists is used (as
 * the engine picks them); `gpu` names the accelerator a build has in itself; `variants` are its
 * GPU builds, which count where the installer takes them (electron-builder.yml decides which).
 */
export const CAPABILITIES = [
  {
    name: 'Transcription (whisper.cpp)',
    builds: (t) => [
      { package: `@napi-rs/whisper-${napiTriple(t)}`, label: '@napi-rs/whisper', gpu: appleGpu(t) },
      {
        package: `@fugood/node-whisper-${t.platform}-${t.arch}`,
        label: '@fugood/whisper.node',
        gpu: appleGpu(t),
        variants: [{ package: `@fugood/node-whisper-${t.platform}-${t.arch}-vulkan`, gpu: 'Vulkan' }],
      },
    ],
  },
  {
    name: 'Voice activity detection (Silero on onnxruntime)',
    builds: () => [{ bundled: 'onnxruntime-node', label: 'onnxruntime-node' }],
  },
  {
    name: 'Local AI: tutor, embeddings (llama.cpp)',
    builds: (t) => [
      {
        package: `@node-llama-cpp/${llamaName(t)}`,
        label: 'node-llama-cpp',
        gpu: appleGpu(t),
        variants: [
          { package: `@node-llama-cpp/${llamaName(t)}-vulkan`, gpu: 'Vulkan' },
          { package: `@node-llama-cpp/${llamaName(t)}-cuda`, gpu: 'CUDA' },
        ],
      },
    ],
  },
  {
    name: 'Search by meaning (sqlite-vec)',
    builds: () => [{ bundled: '@photostructure/sqlite-vec', label: 'sqlite-vec' }],
  },
  {
    name: 'Keychain (@napi-rs/keyring)',
    builds: (t) => [{ package: `@napi-rs/keyring-${napiTriple(t)}`, label: '@napi-rs/keyring' }],
  },
  {
    name: 'PDF pages as images (@napi-rs/canvas)',
    builds: (t) => [{ package: `@napi-rs/canvas-${napiTriple(t)}`, label: '@napi-rs/canvas' }],
  },
];

/** Metal is built into the Apple Silicon builds of whisper.cpp and llama.cpp. */
function appleGpu(t) {
  return t.platform === 'darwin' && t.arch === 'arm64' ? 'Metal' : null;
}

/** The packages npm locked for any platform, by name. */
function lockedPackages(repoRoot) {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const byName = new Map();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const at = path.lastIndexOf('node_modules/');
    if (at >= 0) byName.set(path.slice(at + 'node_modules/'.length), entry);
  }
  return byName;
}

/** For each target and capability: the build used, the accelerators shipped, or the gap. */
export function platformMatrix({ repoRoot, targets, packageDir, installerTakes }) {
  const locked = lockedPackages(repoRoot);
  const isFor = (entry, t) =>
    entry && (!entry.os || entry.os.includes(t.platform)) && (!entry.cpu || entry.cpu.includes(t.arch));
  const exists = (build, t) =>
    build.bundled
      ? existsSync(join(packageDir(build.bundled), bundledBinary(build.bundled, t)))
      : isFor(locked.get(build.package), t);
  const problems = [];
  const rows = [];
  for (const capability of CAPABILITIES) {
    const cells = targets.map((t) => {
      const build = capability.builds(t).find((candidate) => exists(candidate, t));
      if (!build) {
        problems.push(`${t.os} ${t.arch}: no native build for ${capability.name}`);
        return null;
      }
      const gpus = [
        build.gpu,
        ...(build.variants ?? [])
          .filter((variant) => exists(variant, t) && installerTakes(t, variant.package))
          .map((variant) => variant.gpu),
      ].filter(Boolean);
      return { label: build.label, accelerators: gpus.length ? gpus : ['CPU only'] };
    });
    rows.push({ capability: capability.name, cells });
  }
  return { rows, problems };
}

/** The matrix as the README's Markdown table. */
export function matrixMarkdown(rows, targets) {
  const header = ['capability', ...targets.map((t) => `${t.platform} ${t.arch}`)];
  const lines = [header, header.map(() => '---')];
  for (const { capability, cells } of rows) {
    lines.push([
      capability,
      ...cells.map((cell) =>
        cell
          ? `${cell.label}: CPU${cell.accelerators[0] === 'CPU only' ? '' : `, ${cell.accelerators.join(', ')}`}`
          : '**missing**',
      ),
    ]);
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const README_START =
  '<!-- platform-matrix:start (npm run check:builder -w @little-monster/desktop -- --write-readme) -->';
export const README_END = '<!-- platform-matrix:end -->';
