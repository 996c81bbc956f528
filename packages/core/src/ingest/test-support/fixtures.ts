import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared test documents (`shared/fixtures`, beside the repository: see its README for where
 * each came from). Found by walking up from here, so it works from any clone location;
 * `LM_SHARED_FIXTURES` overrides. Null when absent: tests that need it skip and say why.
 */
export const sharedFixturesDir: string | null = (() => {
  const override = process.env.LM_SHARED_FIXTURES;
  if (override) return existsSync(override) ? override : null;
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const candidate = join(folder, 'shared', 'fixtures');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    if (dirname(folder) === folder) return null;
  }
})();

export const MISSING_FIXTURES_NOTE =
  'shared/fixtures was not found beside the repository (set LM_SHARED_FIXTURES to its path): skipping the tests that read real documents';

if (!sharedFixturesDir) console.warn(MISSING_FIXTURES_NOTE);

/** Path of a shared fixture, e.g. `fixture('pdf/tracemonkey.pdf')`; only call when `sharedFixturesDir` is set. */
export function fixture(relativePath: string): string {
  if (!sharedFixturesDir) throw new Error(MISSING_FIXTURES_NOTE);
  return join(sharedFixturesDir, relativePath);
}
