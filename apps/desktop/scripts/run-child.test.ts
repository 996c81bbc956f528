/**
 * `npm start` in the browser mode is a launcher (scripts/start.mjs) running the engine's server
 * through runChild. Stopping the launcher, however it is stopped, stops the server and frees the
 * data folder. The server runs from its TypeScript sources here (tsx), as the same code.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const serverMain = join(repoRoot, 'packages', 'core', 'src', 'server', 'main.ts');
const runChildModule = new URL('./run-child.mjs', import.meta.url).href;

let folder: string;
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The launcher and the server it started, once the server answers. */
async function launch(dataDir: string) {
  const script = `
    import { runChild } from ${JSON.stringify(runChildModule)};
    runChild(process.execPath, ['--import', 'tsx', ${JSON.stringify(serverMain)}, '--data-dir', ${JSON.stringify(dataDir)}, '--port', '0'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });`;
  const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    launcher.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('Little Monster is running at')) resolve();
    };
    launcher.stdout.on('data', onData);
    launcher.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`the launcher ended before the server started: ${output}`)));
  });
  const lock = join(dataDir, 'little-monster.lock');
  const server = Number(readFileSync(lock, 'utf8'));
  return { launcher, server, lock, exited };
}

/** The lock file goes when the server closes; a server that is gone cannot keep it. */
async function serverGone(pid: number, lock: string): Promise<void> {
  await expect.poll(() => isRunning(pid), { timeout: 15_000, interval: 100 }).toBe(false);
  expect(existsSync(lock)).toBe(false);
}

describe('stopping npm start stops the engine it started', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    'a %s to the launcher reaches the server, which closes and frees the data folder; the launcher exits with it',
    async (signal) => {
      folder = mkdtempSync(join(tmpdir(), 'lm-launch-'));
      const { launcher, server, lock, exited } = await launch(join(folder, 'data'));
      expect(isRunning(server)).toBe(true);
      launcher.kill(signal);
      // The server closed cleanly (exit code 0), and the launcher exited as it did.
      expect(await exited).toEqual({ code: 0, signal: null });
      await serverGone(server, lock);
    },
    60_000,
  );

  it('a launcher killed outright (SIGKILL, nothing to pass on) still takes the server with it', async () => {
    folder = mkdtempSync(join(tmpdir(), 'lm-launch-'));
    const { launcher, server, lock, exited } = await launch(join(folder, 'data'));
    launcher.kill('SIGKILL');
    await exited;
    await serverGone(server, lock);
  }, 60_000);
});
