import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Path of a file in the repository's `fixtures/` folder (see its README for origins). A missing
 * file fails the test that asked for it, naming the file: a clean clone carries every input.
 */
export function fixture(relativePath: string): string {
  const path = fileURLToPath(new URL(`../../../../fixtures/${relativePath}`, import.meta.url));
  if (!existsSync(path))
    throw new Error(`Missing test fixture fixtures/${relativePath} (the repository should carry it)`);
  return path;
}
