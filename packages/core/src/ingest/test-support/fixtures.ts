import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's `fixtures/` folder: real documents, images and speech (see its README for origins). */
export const fixturesDir = fileURLToPath(new URL('../../../../../fixtures/', import.meta.url));

/**
 * Path of a fixture, e.g. `fixture('pdf/tracemonkey.pdf')`. A missing file fails the test that
 * asked for it, naming the file: a clean clone carries every input, so nothing is skipped.
 */
export function fixture(relativePath: string): string {
  const path = fileURLToPath(new URL(relativePath, `file://${fixturesDir}`));
  if (!existsSync(path))
    throw new Error(`Missing test fixture fixtures/${relativePath} (the repository should carry it)`);
  return path;
}
