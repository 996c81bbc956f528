import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core.js';
import type { EngineEvent } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { CoreConfig } from '../config.js';

export function tempDir(prefix = 'lm-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, overrides: Partial<CoreConfig> = {}): CoreConfig {
  return {
    dataDir,
    modelsDir: join(dataDir, '..', 'models'),
    resourcesDir: join(dataDir, '..', 'resources'),
    secrets: new KeyringSecretStore('Little Monster tests'),
    logger: silentLogger(),
    appVersion: '0.0.0-test',
    ...overrides,
  };
}

export interface TestCore extends Core {
  dataDir: string;
  events: EngineEvent[];
  /** Calls a procedure and returns its value, failing the test on an error result. */
  value<T = unknown>(method: string, input?: unknown): Promise<T>;
}

export async function openTestCore(
  dataDir: string,
  options: CoreOptions = {},
  config: Partial<CoreConfig> = {},
): Promise<TestCore> {
  const core = await createCore(testConfig(dataDir, config), options);
  const events: EngineEvent[] = [];
  core.subscribe((event) => events.push(event));
  return {
    ...core,
    dataDir,
    events,
    async value<T>(method: string, input: unknown = {}) {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
  };
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  predicate: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
