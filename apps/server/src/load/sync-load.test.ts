import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { runSyncLoad, type SyncLoadReport } from './sync-load.js';

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  first = await startTestServer();
  second = await startTestServer({ sameDataAs: first });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const summary = (report: SyncLoadReport) =>
  `${report.devices} devices on ${report.instances} instance(s): ${report.requests} requests, ` +
  `p50 ${report.latencyMs.p50.toFixed(1)} ms, p99 ${report.latencyMs.p99.toFixed(1)} ms, ` +
  `${report.messagesPerSecond.toFixed(0)} messages/s`;

// Bounded for CI: a short run of few devices. `npm run bench -- sync-load` runs 500 for 60 s.
describe('sync under load (bounded)', () => {
  it.each([1, 2])(
    'loses and duplicates nothing with 60 devices syncing for 4 s through %i instance(s)',
    async (instances) => {
      const report = await runSyncLoad({
        urls: [first.url, second.url].slice(0, instances),
        databaseUrl: first.config.databaseUrl,
        tokenSecret: first.config.tokenSecret,
        devices: 60,
        devicesPerStudent: 4,
        durationMs: 4_000,
        pauseMs: [100, 400],
        changesPerSync: [1, 4],
      });
      console.info(summary(report));
      expect(report.failures).toEqual([]);
      expect(report.requests).toBeGreaterThan(60);
      expect(report).toMatchObject({ lost: 0, duplicated: 0, failedRequests: 0 });
    },
  );
});
