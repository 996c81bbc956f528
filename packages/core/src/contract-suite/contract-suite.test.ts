/**
 * One behavioural suite for the contract, run over every transport: straight into the
 * dispatcher, and through the browser mode's WebSocket host. Whatever the UI relies on holds
 * the same way over both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent, Result } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { startEngineHost, type EngineHost } from '../server/engine-host.js';
import { connectSocket, type SocketClient } from '../test-support/socket-client.js';
import { openTestCore, tempDir, type TestCore } from '../test-support/temp-core.js';
import {
  classCases,
  jobCases,
  lectureCases,
  libraryCases,
  settingsCases,
  tools,
  tutorCases,
} from './cases/index.js';

interface Client {
  call(method: string, input?: unknown): Promise<Result<unknown>>;
  events: EngineEvent[];
}

interface Transport {
  name: string;
  connect(core: TestCore): Promise<Client & { close(): Promise<void> }>;
}

const transports: Transport[] = [
  {
    name: 'direct dispatcher',
    connect: async (core) => ({
      call: (method, input = {}) => core.dispatch(method, input),
      events: core.events,
      close: async () => {},
    }),
  },
  {
    name: 'WebSocket host',
    connect: async (core) => {
      const host: EngineHost = await startEngineHost({ core, uiDir: '/nonexistent', logger: silentLogger() });
      const socket: SocketClient = await connectSocket(host.port, host.token);
      return {
        call: (method, input) => socket.call(method, input),
        events: socket.events,
        close: async () => {
          socket.close();
          await host.close();
        },
      };
    },
  },
];

/** Every shared case; the UI's in-memory engines run the same ones (see cases/index.ts). */
const cases = [...classCases, ...settingsCases, ...jobCases, ...libraryCases, ...lectureCases, ...tutorCases];

describe.each(transports)('contract over the $name', (transport) => {
  let dir: ReturnType<typeof tempDir>;
  let core: TestCore;
  let client: Awaited<ReturnType<Transport['connect']>>;

  beforeEach(async () => {
    dir = tempDir();
    core = await openTestCore(dir.path);
    client = await transport.connect(core);
  });
  afterEach(async () => {
    await client.close();
    await core.close();
    dir.remove();
  });

  for (const { name, run } of cases) it(name, () => run(client));

  it('answers app.info with versions, paths and machine facts', async () => {
    const info = await tools(client).value('app.info');
    expect(info.versions).toMatchObject({ node: process.versions.node, 'sqlite-vec': 'v0.1.9' });
    expect(info.paths.data).toBe(dir.path);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.storage).toMatchObject({ fts5: true });
  });
});
