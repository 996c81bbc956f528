import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { freshDataDir, startEngine, type RunningEngine } from './engine.js';

export interface EngineFixture {
  /** The engine serving this test, on a fresh data folder. */
  current: RunningEngine;
  /** Stops the engine and starts a new one on the same data folder (new port, new token). */
  restart(): Promise<RunningEngine>;
  /** Kills the engine with SIGKILL, as a crash would. */
  crash(): Promise<void>;
  /** Starts the engine again on the same data folder (after a crash: on the same port, taking the old token). */
  start(): Promise<RunningEngine>;
  stop(): Promise<void>;
  /** The data folder; `wipe` removes it (with the engine stopped). */
  dataDir: string;
  wipe(): void;
}

/**
 * Every spec gets its own engine on an empty data folder, removed afterwards. `engineArgs`
 * passes options to the engine (`test.use({ engineArgs: [...] })`). `workerFolder` is a scratch
 * folder for files a spec generates once per worker (models, catalogs), removed when the worker
 * ends; spec files must not make files at load time, since Playwright also loads them to list
 * the tests, in a process that runs no hooks. `consoleErrors` collects the page's console errors.
 */
export const test = base.extend<
  { engine: EngineFixture; engineArgs: string[]; consoleErrors: string[] },
  { workerFolder: string }
>({
  workerFolder: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const folder = mkdtempSync(join(tmpdir(), 'lm-e2e-worker-'));
      try {
        await use(folder);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
  engineArgs: [[], { option: true }],
  /** The page's console errors (a CSP refusal, an uncaught error) as the test goes; clear it to forget some. */
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await use(errors);
  },
  engine: async ({ engineArgs }, use) => {
    const data = freshDataDir();
    try {
      const fixture: EngineFixture = {
        current: await startEngine(data.path, engineArgs),
        stop: () => fixture.current.stop(),
        async restart() {
          await fixture.current.stop();
          fixture.current = await startEngine(data.path, engineArgs);
          return fixture.current;
        },
        crash: () => fixture.current.kill(),
        async start() {
          fixture.current = await startEngine(data.path, engineArgs);
          return fixture.current;
        },
        dataDir: data.path,
        wipe: () => rmSync(data.path, { recursive: true, force: true }),
      };
      try {
        await use(fixture);
      } finally {
        await fixture.current.stop();
      }
    } finally {
      data.remove();
    }
  },
});

export { expect } from '@playwright/test';
