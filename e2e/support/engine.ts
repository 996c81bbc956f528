import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverMain = fileURLToPath(new URL('../../packages/core/dist/server/main.js', import.meta.url));

export interface RunningEngine {
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** Stops the engine the way Ctrl+C does. */
  stop(): Promise<void>;
  /** Ends the engine with SIGKILL, as a crash would (its browser session is left behind). */
  kill(): Promise<void>;
  pid: number;
}

/** Starts `npm run web`'s engine host on a fresh port with the given data folder (and extra options). */
export async function startEngine(dataDir: string, extraArgs: string[] = []): Promise<RunningEngine> {
  const child = spawn(process.execPath, [serverMain, '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`engine exited with ${code}: ${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    dataDir,
    pid: child.pid!,
    stop: () => stopChild(child, 'SIGTERM'),
    kill: () => stopChild(child, 'SIGKILL'),
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function freshDataDir(): { path: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'lm-e2e-'));
  return { path: join(root, 'data'), remove: () => rmSync(root, { recursive: true, force: true }) };
}
