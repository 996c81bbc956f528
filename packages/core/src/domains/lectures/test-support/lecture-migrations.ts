import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMigrationsDir } from '../../../db/migrations.js';

const schemaDir = fileURLToPath(new URL('../../../db/schema/', import.meta.url));
const packageDir = fileURLToPath(new URL('../../../../', import.meta.url));

let cached: string | undefined;
let generated: string | undefined;

/** Removes the folder `lectureMigrationsDir` generated, if it did (call once the tests are done). */
export function removeGeneratedMigrations(): void {
  if (generated) rmSync(generated, { recursive: true, force: true });
  generated = cached = undefined;
}

/**
 * The migrations to open a test database with the lectures tables: the committed ones once they
 * create them; until then a copy of the committed ones plus a migration drizzle-kit generates
 * from the schema into a temporary folder (the committed folder is never written).
 */
export function lectureMigrationsDir(): string {
  if (cached) return cached;
  const committed = defaultMigrationsDir();
  const hasLectures = readdirSync(committed).some(
    (name) =>
      name.endsWith('.sql') &&
      readFileSync(join(committed, name), 'utf8').includes('CREATE TABLE `lectures`'),
  );
  if (hasLectures) return (cached = committed);

  const work = mkdtempSync(join(tmpdir(), 'lm-lecture-migrations-'));
  generated = work;
  cpSync(committed, join(work, 'migrations'), { recursive: true });
  const index = join(schemaDir, 'index.ts');
  const exported = readFileSync(index, 'utf8').includes('./lectures.js');
  const schema = exported ? [index] : [index, join(schemaDir, 'lectures.ts')];
  writeFileSync(
    join(work, 'drizzle.config.mjs'),
    `export default ${JSON.stringify({ dialect: 'sqlite', schema, out: './migrations' })};\n`,
  );
  const drizzleKit = join(packageDir, 'node_modules', '.bin', 'drizzle-kit');
  const bin = existsSync(drizzleKit)
    ? drizzleKit
    : join(packageDir, '..', '..', 'node_modules', '.bin', 'drizzle-kit');
  execFileSync(bin, ['generate', '--config', 'drizzle.config.mjs', '--name', 'lectures'], {
    cwd: work,
    stdio: 'pipe',
  });
  return (cached = join(work, 'migrations'));
}
