import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.js';
import { createDatabase } from '../test-support/databases.js';
import { startTestServer } from '../test-support/test-server.js';
import { DatabaseUnreachableError, connectDatabase } from './database.js';

/** A TCP door to the real PostgreSQL that can be shut and opened, on a port of its own. */
async function door(target: URL) {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    port,
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = createConnection(Number(target.port), target.hostname);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => socket.destroy());
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', resolve);
      }),
    shut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
      }),
  };
}

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  return { logger, lines };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('PostgreSQL at start-up', () => {
  it('waits for a PostgreSQL that is down, saying so, and starts once it is up', async () => {
    const url = new URL(await createDatabase());
    const gate = await door(url);
    cleanup.push(gate.shut);
    const throughGate = new URL(url);
    throughGate.port = String(gate.port);
    const { logger, lines } = capturingLogger();
    const connecting = connectDatabase({ url: throughGate.href, logger, retryMs: 100, waitMs: 30_000 });
    await expect
      .poll(() => lines.join(''), { timeout: 10_000 })
      .toMatch(/is not reachable yet \(ECONNREFUSED\); trying again in 0.1 s/);
    await gate.open();
    const database = await connecting;
    cleanup.push(database.close);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
  });

  it('gives up after the wait with a message that says what to do', async () => {
    const port = await freePort();
    const { logger } = capturingLogger();
    const error = await connectDatabase({
      url: `postgres://postgres:pw@127.0.0.1:${port}/nothing`,
      logger,
      retryMs: 100,
      waitMs: 500,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `PostgreSQL at 127.0.0.1:${port}/nothing could not be reached .*Start it, or point DATABASE_URL at a running server`,
      ),
    );
  });

  it('answers 503 with a clear message while its database is gone, and recovers when it is back', async () => {
    const url = new URL(await createDatabase());
    const gate = await door(url);
    await gate.open();
    const throughGate = new URL(url);
    throughGate.port = String(gate.port);
    const server = await startTestServer({ config: { databaseUrl: throughGate.href } });
    cleanup.push(server.close, gate.shut);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    await gate.shut();
    const down = await fetch(`${server.url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: 'The server cannot reach its database right now; try again in a moment.',
      },
    });
    await gate.open();
    await expect.poll(async () => (await fetch(`${server.url}/ready`)).status, { timeout: 10_000 }).toBe(200);
  });

  it('lets several instances start on one new database at once (migrations under a lock)', async () => {
    const databaseUrl = await createDatabase();
    const { logger } = capturingLogger();
    const handles = await Promise.all([1, 2, 3].map(() => connectDatabase({ url: databaseUrl, logger })));
    for (const handle of handles) cleanup.push(handle.close);
    const { rows } = await handles[0]!.pool.query(
      'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
    );
    expect(rows[0].n).toBe(1);
  });
});
