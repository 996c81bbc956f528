import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A temp folder for the files a test file generates, made before its tests and removed after them. */
export function scratchFolder(prefix: string) {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return {
    /** Writes `content` as `name` in the folder; answers its path. */
    write(name: string, content: Buffer | string): string {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
