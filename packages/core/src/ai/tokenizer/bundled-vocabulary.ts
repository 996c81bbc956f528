import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The BERT WordPiece vocabulary of bge-small / MiniLM (30,522 tokens), the family of the
 * default embedding models: chunks sized with it fit those models exactly.
 */
export const DEFAULT_VOCABULARY = 'ggml-vocab-bert-bge.gguf';

/**
 * node-llama-cpp's npm package carries llama.cpp's sources as a git bundle, and llama.cpp keeps
 * real vocabulary-only GGUFs in `models/` for its tokenizer tests. This copies one out into
 * `targetDir` (once; later calls find it there) and returns its path, or undefined when the
 * bundle or `git` is not available (a packaged app should ship the file in its resources
 * instead: run this at build time).
 */
export function extractBundledVocabulary(targetDir: string, name = DEFAULT_VOCABULARY): string | undefined {
  const target = join(targetDir, name);
  if (existsSync(target)) return target;
  const bundle = nodeLlamaCppBundle();
  if (!bundle) return undefined;

  mkdirSync(targetDir, { recursive: true });
  const scratch = mkdtempSync(join(targetDir, '.extract-'));
  try {
    const repo = join(scratch, 'llama.cpp.git');
    execFileSync('git', ['clone', '--quiet', '--bare', bundle, repo], { stdio: 'ignore' });
    const bytes = execFileSync('git', ['--git-dir', repo, 'cat-file', 'blob', `HEAD:models/${name}`], {
      maxBuffer: 64 * 1024 * 1024,
    });
    // Write beside the target then rename, so a concurrent reader never sees half a file.
    const partial = join(scratch, name);
    writeFileSync(partial, bytes);
    renameSync(partial, target);
    return target;
  } catch {
    return undefined; // no git, or a bundle without that file
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function nodeLlamaCppBundle(): string | undefined {
  try {
    // .../node_modules/node-llama-cpp/dist/index.js -> .../node_modules/node-llama-cpp/llama/gitRelease.bundle
    const entry = fileURLToPath(import.meta.resolve('node-llama-cpp'));
    const bundle = join(dirname(entry), '..', 'llama', 'gitRelease.bundle');
    return existsSync(bundle) ? bundle : undefined;
  } catch {
    return undefined;
  }
}
