import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServerArgs } from './server-options.js';

const defaults = { uiDir: '/app/ui' };

describe('npm run web: the command line', () => {
  it('asks for help with --help or -h', () => {
    expect(parseServerArgs(['--help'], {}, defaults)).toEqual({ help: true });
    expect(parseServerArgs(['-h'], {}, defaults)).toEqual({ help: true });
  });

  it('says what is wrong with an unknown option or a bad number', () => {
    expect(parseServerArgs(['--data'], {}, defaults)).toEqual({
      error: expect.stringMatching(/Unknown option '--data'/),
    });
    expect(parseServerArgs(['--port', 'abc'], {}, defaults)).toEqual({
      error: 'The port must be a whole number from 0 to 65535, not "abc".',
    });
    expect(parseServerArgs([], { PORT: '70000' }, defaults)).toHaveProperty('error');
    expect(parseServerArgs(['--llm-threads', '0'], {}, defaults)).toHaveProperty('error');
  });

  it('uses the desktop app data folder, a models folder beside it, and the usual port by default', () => {
    const parsed = parseServerArgs([], { XDG_CONFIG_HOME: '/home/student/.config' }, defaults);
    if (!('options' in parsed)) throw new Error('expected options');
    if (process.platform === 'linux') {
      expect(parsed.options.dataDir).toBe('/home/student/.config/Little Monster/data');
      expect(parsed.options.modelsDir).toBe('/home/student/.config/Little Monster/models');
    }
    expect(parsed.options).toMatchObject({ port: DEFAULT_PORT, defaultPort: true, uiDir: '/app/ui' });
  });

  it('takes the folder, port and threads given', () => {
    const parsed = parseServerArgs(
      ['--data-dir', '/data/lm', '--port', '0', '--llm-threads', '2', '--model-catalog', '/etc/catalog.json'],
      {},
      defaults,
    );
    expect(parsed).toEqual({
      options: {
        dataDir: '/data/lm',
        modelsDir: '/data/models',
        uiDir: '/app/ui',
        port: 0,
        defaultPort: false,
        llmThreads: 2,
        modelCatalogFile: '/etc/catalog.json',
      },
    });
  });
});

describe('npm run web: the program', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000 });

  it('prints its usage for --help and starts nothing', () => {
    const result = run(['--help', '--data-dir', '/nonexistent/never-made']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run web -- \[options\]/);
    expect(result.stdout).toContain('--data-dir DIR');
    expect(result.stderr).toBe('');
  });

  it('refuses an unknown option with the usage, not a stack trace', () => {
    const result = run(['--data', '/tmp/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Unknown option '--data'.*\n\nUsage:/s);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
