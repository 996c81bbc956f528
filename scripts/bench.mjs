#!/usr/bin/env node
// `npm run bench -- NAME` runs bench/NAME.bench.ts against the built engine and server; no NAME lists them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('../bench', import.meta.url))
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace('.bench.ts', ''));
const [name] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.log(`Usage: npm run bench -- NAME\nBenchmarks: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const run = (command, args) => {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
};
run('npx', [
  '--no',
  '--',
  'turbo',
  'run',
  'build',
  '--filter=@little-monster/core',
  '--filter=@little-monster/server...',
  '--output-logs=errors-only',
]);
run(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${name}.bench.ts`]);
