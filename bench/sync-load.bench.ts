/**
 * The sync server under load: 500 simulated devices (100 students, 5 devices each) syncing
 * concurrently for 60 s against one server instance, then the same against two instances on one
 * PostgreSQL, each device making 1-3 changes and syncing every 1-3 s with the real protocol
 * client. Reported: request latency p50/p95/p99, messages/s, lost and duplicated messages
 * (both must be 0) and each instance's peak RSS. Baseline in the same run: the same devices
 * posting a sync-sized body to a bare Node HTTP server that answers at once (the HTTP floor of
 * this machine at this concurrency).
 *
 * The servers are the built `apps/server` in their own processes, on PostgreSQL from npm;
 * everything listens on 127.0.0.1 and stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { runSyncLoad, startEmbeddedPostgres, type SyncLoadReport } from '@little-monster/server/load';
import { mb, ms, percentile, printTable } from './stats.js';

const DEVICES = Number(process.env.SYNC_LOAD_DEVICES ?? 500);
const DURATION_MS = Number(process.env.SYNC_LOAD_SECONDS ?? 60) * 1000;
const BASELINE_MS = Math.min(DURATION_MS, 20_000);
const PAUSE_MS: [number, number] = [1000, 3000];
const TARGET_P99_MS = 200;

interface Instance {
  url: string;
  process: ChildProcess;
  peakRss: number;
  sampler: NodeJS.Timeout;
}

/**
 * CPU seconds (user + system) a process and, with `children`, its child processes have used:
 * a figure the other work on a shared machine does not inflate, unlike latency.
 */
function cpuSeconds(pid: number, children = false): number {
  const ticks = (id: number) => {
    try {
      const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0; // gone
    }
  };
  let total = ticks(pid);
  if (children)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = (() => {
        try {
          return readFileSync(`/proc/${entry}/stat`, 'utf8');
        } catch {
          return '';
        }
      })();
      if (stat.split(') ')[1]?.split(' ')[1] === String(pid)) total += ticks(Number(entry));
    }
  return total / CLOCK_TICKS;
}
const CLOCK_TICKS = 100; // Linux USER_HZ

async function startInstance(env: Record<string, string>, port: number, dataDir: string): Promise<Instance> {
  // SYNC_LOAD_SERVER_FLAGS passes Node flags to the servers, e.g. `--cpu-prof` to profile them.
  const flags = (process.env.SYNC_LOAD_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, 'apps/server/dist/main.js'], {
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: process.env.SYNC_LOAD_LOG_LEVEL ?? 'warn',
      SERVER_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode}.`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (attempt > 300) throw new Error('The server did not become ready within 30 s.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const instance: Instance = {
    url,
    process: child,
    peakRss: 0,
    sampler: undefined as unknown as NodeJS.Timeout,
  };
  instance.sampler = setInterval(() => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    instance.peakRss = Math.max(instance.peakRss, rss);
  }, 250);
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  clearInterval(instance.sampler);
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill('SIGTERM');
  await exited;
}

/** The same devices posting a sync-sized body to a server that answers at once. */
async function baseline(): Promise<{ latencies: number[]; failed: number }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"messages":[],"more":false,"cursor":null,"merkle":{"hash":0}}');
    });
  });
  server.keepAliveTimeout = 72_000; // Fastify's default, so connections live as long as the real server's
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const body = JSON.stringify({
    messages: [{ timestamp: new Date().toISOString(), keyId: null, content: 'x'.repeat(300) }],
    after: null,
  });
  const latencies: number[] = [];
  let failed = 0;
  const deadline = performance.now() + BASELINE_MS;
  await Promise.all(
    Array.from({ length: DEVICES }, async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * PAUSE_MS[1]));
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          const response = await fetch(`http://127.0.0.1:${port}/v1/sync`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          });
          await response.text();
        } catch {
          failed += 1;
        }
        latencies.push(performance.now() - started);
        await new Promise((resolve) =>
          setTimeout(resolve, PAUSE_MS[0] + Math.random() * (PAUSE_MS[1] - PAUSE_MS[0])),
        );
      }
    }),
  );
  server.close();
  return { latencies, failed };
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

const root = mkdtempSync(join(tmpdir(), 'lm-bench-sync-'));
chmodSync(root, 0o755); // PostgreSQL runs as its own user when the bench runs as root
const postgres = await startEmbeddedPostgres({ dataDir: join(root, 'postgres'), temporary: true });
const rows: Record<string, string | number>[] = [];
const reports: SyncLoadReport[] = [];
try {
  const { latencies: floor, failed } = await baseline();
  rows.push({
    run: `baseline: bare HTTP, ${DEVICES} devices`,
    requests: floor.length,
    failed,
    p50: ms(percentile(floor, 50)),
    p95: ms(percentile(floor, 95)),
    p99: ms(percentile(floor, 99)),
    'messages/s': '-',
    'lost / duplicated': '-',
    'peak RSS': '-',
    'CPU/request server': '-',
    'CPU/request PostgreSQL': '-',
  });

  for (const instances of [1, 2]) {
    const databaseUrl = await freshDatabase(postgres.url, `sync_load_${instances}`);
    const tokenSecret = randomBytes(32);
    const env = { DATABASE_URL: databaseUrl, AUTH_TOKEN_SECRET: tokenSecret.toString('base64') };
    const started: Instance[] = [];
    try {
      for (let n = 0; n < instances; n++)
        started.push(await startInstance(env, 18_700 + n, join(root, `server-${n}`)));
      const postmaster = Number(
        readFileSync(join(root, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      const cpu = () => ({
        server: started.reduce((sum, instance) => sum + cpuSeconds(instance.process.pid!), 0),
        postgres: cpuSeconds(postmaster, true),
      });
      const before = cpu();
      const report = await runSyncLoad({
        urls: started.map((instance) => instance.url),
        databaseUrl,
        tokenSecret,
        devices: DEVICES,
        devicesPerStudent: 5,
        durationMs: DURATION_MS,
        pauseMs: PAUSE_MS,
        changesPerSync: [1, 3],
      });
      const after = cpu();
      reports.push(report);
      const perRequest = (seconds: number) => `${((seconds * 1000) / report.requests).toFixed(2)} ms`;
      rows.push({
        run: `sync: ${DEVICES} devices, ${instances} instance(s)`,
        requests: report.requests,
        failed: report.failedRequests,
        'settle retries': report.settleRetries,
        p50: ms(report.latencyMs.p50),
        p95: ms(report.latencyMs.p95),
        p99: ms(report.latencyMs.p99),
        'messages/s': report.messagesPerSecond.toFixed(0),
        'lost / duplicated': `${report.lost} / ${report.duplicated}`,
        'peak RSS': started.map((instance) => mb(instance.peakRss)).join(' + '),
        'CPU/request server': perRequest(after.server - before.server),
        'CPU/request PostgreSQL': perRequest(after.postgres - before.postgres),
      });
      if (report.failures.length) console.log(`Failed requests (${report.failedRequests}):`, report.failures);
    } finally {
      for (const instance of started) await stopInstance(instance);
    }
  }
} finally {
  await postgres.stop();
  rmSync(root, { recursive: true, force: true });
}

printTable(
  `Sync load (${DURATION_MS / 1000} s per run, pauses ${PAUSE_MS.join('-')} ms, 1-3 changes per sync)`,
  rows,
);
const floorP99 = Number.parseFloat(String(rows[0]!.p99));
for (const report of reports)
  console.log(
    `${report.instances} instance(s): p99 ${report.latencyMs.p99.toFixed(1)} ms = ${(report.latencyMs.p99 / floorP99).toFixed(1)}x the HTTP floor; ` +
      `target p99 <= ${TARGET_P99_MS} ms: ${report.latencyMs.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}; ` +
      `lost ${report.lost}, duplicated ${report.duplicated}`,
  );
if (reports.some((report) => report.lost > 0 || report.duplicated > 0)) process.exitCode = 1;
