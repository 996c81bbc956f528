import { test as base } from '@playwright/test';
import { freshDataDir, startEngine, type RunningEngine } from './engine.js';

export interface EngineFixture {
  /** The engine serving this test, on a fresh data folder. */
  current: RunningEngine;
  /** Stops the engine and starts a new one on the same data folder (new port, new token). */
  restart(): Promise<RunningEngine>;
  stop(): Promise<void>;
}

/**
 * Every spec gets its own engine on an empty data folder, removed afterwards. `engineArgs`
 * passes options to the engine (`test.use({ engineArgs: [...] })`).
 */
export const test = base.extend<{ engine: EngineFixture; engineArgs: string[] }>({
  engineArgs: [[], { option: true }],
  engine: async ({ engineArgs }, use) => {
    const data = freshDataDir();
    const fixture: EngineFixture = {
      current: await startEngine(data.path, engineArgs),
      stop: () => fixture.current.stop(),
      async restart() {
        await fixture.current.stop();
        fixture.current = await startEngine(data.path, engineArgs);
        return fixture.current;
      },
    };
    await use(fixture);
    await fixture.current.stop();
    data.remove();
  },
});

export { expect } from '@playwright/test';
