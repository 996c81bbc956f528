/**
 * A sync load: many simulated devices of many students, each making a few changes and syncing
 * with the real protocol client (syncOnce over HTTP) at a random pace, spread over one or more
 * server instances, then a check that every device and the server hold every message exactly
 * once. Used by the bounded load test and by `npm run bench -- sync-load`.
 *
 * Accounts and devices are written straight into the database and their access tokens minted
 * with the servers' key: sign-in has its own tests, and 500 argon2 sign-ins would measure
 * argon2. Messages go unencrypted (keyId null): the server stores opaque content either way.
 */
import { performance } from 'node:perf_hooks';
import {
  ServerApi,
  ServerApiError,
  plainCodec,
  syncOnce,
  type SyncDatasets,
  type SyncTransport,
} from '@little-monster/sync';
import { MemoryReplica } from '@little-monster/sync/test-support';
import pg from 'pg';
import { AccessTokens } from '../auth/access-tokens.js';

export interface SyncLoadOptions {
  /** Server instances; devices are spread over them in turn. */
  urls: string[];
  /** The servers' database, to create the accounts. */
  databaseUrl: string;
  /** The servers' token key. */
  tokenSecret: Buffer;
  devices: number;
  devicesPerStudent: number;
  durationMs: number;
  /** Pause between a device's syncs, drawn uniformly from this range. */
  pauseMs: [number, number];
  /** Changes made before each sync, drawn uniformly from this range. */
  changesPerSync: [number, number];
}

export interface SyncLoadReport {
  devices: number;
  instances: number;
  requests: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  messagesSent: number;
  messagesPerSecond: number;
  /** Requests that failed during the load (the device retried at its next sync). */
  failedRequests: number;
  failures: string[];
  /** Syncs of the final settling rounds that had to be tried again (a reset connection). */
  settleRetries: number;
  /** Messages some device or the server lacks at the end. */
  lost: number;
  /** Rows stored more than once on the server. */
  duplicated: number;
}

const SETTLE_ATTEMPTS = 5;
const DATASETS: SyncDatasets = { notes: 'lww', cards: 'lww', review_log: 'append-only' };

interface SimulatedDevice {
  student: number;
  replica: MemoryReplica;
  transport: SyncTransport;
}

export async function runSyncLoad(options: SyncLoadOptions): Promise<SyncLoadReport> {
  const devices = await provision(options);
  const latencies: number[] = [];
  const failures: string[] = [];
  let failedRequests = 0;
  let messagesSent = 0;
  let measuring = true;
  const timed = (transport: SyncTransport): SyncTransport => ({
    async sync(request) {
      const started = performance.now();
      try {
        return await transport.sync(request);
      } catch (error) {
        if (measuring) {
          failedRequests += 1;
          if (failures.length < 5) failures.push(describe(error));
        }
        throw error;
      } finally {
        if (measuring) latencies.push(performance.now() - started);
      }
    },
  });

  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    devices.map(async (device, index) => {
      const transport = timed(device.transport);
      // Staggered starts, as devices come online at different moments.
      await sleep(random(0, options.pauseMs[1]));
      for (let change = 0; performance.now() < deadline; change++) {
        const changes = Math.round(random(...options.changesPerSync));
        for (let n = 0; n < changes; n++) {
          if (n % 3 === 2)
            device.replica.append('review_log', `r-${index}-${change}-${n}`, {
              card: `c${n}`,
              rating: 1 + (n % 4),
            });
          else
            device.replica.upsert('notes', `note-${n % 20}`, {
              title: `Note ${n} from ${index}`,
              body: 'x'.repeat(120),
            });
        }
        messagesSent += changes;
        await syncOnce(device.replica, transport, plainCodec).catch(() => {});
        await sleep(random(...options.pauseMs));
      }
    }),
  );
  const elapsed = performance.now() - started;
  measuring = false;

  // Everyone syncs until nothing new; then every device must hold all its student's messages.
  // A connection the loaded server reset is retried, as a device would at its next sync.
  let settleRetries = 0;
  const settle = async (device: SimulatedDevice) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await syncOnce(device.replica, device.transport, plainCodec);
      } catch (error) {
        if (attempt === SETTLE_ATTEMPTS) throw error;
        settleRetries += 1;
        await sleep(attempt * 200);
      }
    }
  };
  for (let round = 0; round < 2; round++) for (const device of devices) await settle(device);
  const { lost, duplicated } = await check(options.databaseUrl, devices);

  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return {
    devices: devices.length,
    instances: options.urls.length,
    requests: latencies.length,
    latencyMs: { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? 0 },
    messagesSent,
    messagesPerSecond: messagesSent / (elapsed / 1000),
    failedRequests,
    failures,
    settleRetries,
    lost,
    duplicated,
  };
}

/** Students and their signed-in devices, straight into the database. */
async function provision(options: SyncLoadOptions): Promise<SimulatedDevice[]> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  const tokens = new AccessTokens(options.tokenSecret, 3600);
  const run = Math.random().toString(36).slice(2, 8);
  const devices: SimulatedDevice[] = [];
  try {
    const students = Math.ceil(options.devices / options.devicesPerStudent);
    for (let student = 0; student < students; student++) {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO users (email, email_verified_at) VALUES ($1, now()) RETURNING id`,
        [`load-${run}-${student}@example.org`],
      );
      const userId = rows[0]!.id;
      for (let n = 0; n < options.devicesPerStudent && devices.length < options.devices; n++) {
        const device = await pool.query<{ id: string }>(
          `INSERT INTO devices (user_id, name, platform) VALUES ($1, $2, 'linux') RETURNING id`,
          [userId, `Load device ${n}`],
        );
        const accessToken = await tokens.issue({ userId, deviceId: device.rows[0]!.id });
        const api = new ServerApi({
          baseUrl: options.urls[devices.length % options.urls.length]!,
          session: { accessToken: async () => accessToken, refresh: async () => accessToken },
        });
        devices.push({ student, replica: new MemoryReplica(DATASETS), transport: api.syncTransport() });
      }
    }
  } finally {
    await pool.end();
  }
  return devices;
}

async function check(databaseUrl: string, devices: SimulatedDevice[]) {
  const expected = new Map<number, Set<string>>();
  for (const device of devices) {
    const own = expected.get(device.student) ?? new Set<string>();
    for (const timestamp of device.replica.timestamps()) own.add(timestamp);
    expected.set(device.student, own);
  }
  let lost = 0;
  for (const device of devices) {
    const held = new Set(device.replica.timestamps());
    for (const timestamp of expected.get(device.student)!) if (!held.has(timestamp)) lost += 1;
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ total: string; distinct: string }>(
      `SELECT count(*) AS total, count(DISTINCT (user_id, timestamp)) AS distinct FROM sync_messages`,
    );
    const all = [...expected.values()].reduce((sum, set) => sum + set.size, 0);
    lost += Math.max(0, all - Number(rows[0]!.distinct));
    return { lost, duplicated: Number(rows[0]!.total) - Number(rows[0]!.distinct) };
  } finally {
    await pool.end();
  }
}

function describe(error: unknown): string {
  if (error instanceof ServerApiError) return `${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const random = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
