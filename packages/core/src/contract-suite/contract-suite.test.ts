/**
 * One behavioural suite for the contract, run over every transport: straight into the
 * dispatcher, and through the browser mode's WebSocket host. Whatever the UI relies on holds
 * the same way over both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent, Result, Settings, StudyClass } from '../contract/index.js';
import { silentLogger } from '../logging/logger.js';
import { startEngineHost, type EngineHost } from '../server/engine-host.js';
import { connectSocket, type SocketClient } from '../test-support/socket-client.js';
import { openTestCore, tempDir, waitFor, type TestCore } from '../test-support/temp-core.js';

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

const biology = {
  name: 'Cell Biology',
  code: 'BIO 201',
  term: 'Fall 2026',
  color: '#2f9e44',
  instructor: 'Dr. Okafor',
  schedule: [
    { day: 1, start: '09:00', end: '10:15', location: 'Hall B' },
    { day: 3, start: '09:00', end: '10:15' },
  ],
  exams: [
    { title: 'Final', date: '2026-12-14', time: '13:00' },
    { title: 'Midterm', date: '2026-10-20' },
  ],
};

describe.each(transports)('contract over the $name', (transport) => {
  let dir: ReturnType<typeof tempDir>;
  let core: TestCore;
  let client: Awaited<ReturnType<Transport['connect']>>;

  async function value<T>(method: string, input: unknown = {}): Promise<T> {
    const result = await client.call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  async function failure(method: string, input: unknown) {
    const result = await client.call(method, input);
    if (result.ok) throw new Error(`${method} unexpectedly succeeded`);
    return result.error;
  }

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

  it('creates a class with its schedule and exams, and lists it', async () => {
    const created = await value<StudyClass>('classes.create', biology);
    expect(created).toMatchObject({
      name: 'Cell Biology',
      code: 'BIO 201',
      archived: false,
      schedule: biology.schedule,
    });
    expect(created.exams.map((exam) => exam.title)).toEqual(['Midterm', 'Final']); // by date
    expect(created.exams[1]).toMatchObject({ date: '2026-12-14', time: '13:00' });
    expect(await value<StudyClass[]>('classes.list')).toEqual([created]);
    await waitFor(() => client.events.some((e) => e.name === 'classes.changed'), Boolean);
  });

  it('applies defaults for the optional fields', async () => {
    const created = await value<StudyClass>('classes.create', { name: 'Ethics' });
    expect(created).toMatchObject({
      code: '',
      term: '',
      instructor: '',
      color: '#4f7cff',
      schedule: [],
      exams: [],
    });
  });

  it('changes only the fields a patch names, and replaces exams when they are sent', async () => {
    const created = await value<StudyClass>('classes.create', biology);
    const renamed = await value<StudyClass>('classes.update', {
      id: created.id,
      patch: { name: 'Molecular Biology' },
    });
    expect(renamed).toMatchObject({ name: 'Molecular Biology', code: 'BIO 201', schedule: biology.schedule });
    expect(renamed.exams).toHaveLength(2);
    const [midterm] = renamed.exams;
    const kept = await value<StudyClass>('classes.update', {
      id: created.id,
      patch: {
        exams: [
          { id: midterm!.id, title: 'Midterm 1', date: midterm!.date },
          { title: 'Lab test', date: '2026-11-02' },
        ],
      },
    });
    expect(kept.exams.find((exam) => exam.title === 'Midterm 1')?.id).toBe(midterm!.id);
    expect(kept.exams.find((exam) => exam.title === 'Lab test')?.id).not.toBe(midterm!.id);
    const fewer = await value<StudyClass>('classes.update', {
      id: created.id,
      patch: { exams: [{ title: 'Quiz', date: '2026-11-30' }] },
    });
    expect(fewer.exams.map((exam) => exam.title)).toEqual(['Quiz']);
    expect((await value<StudyClass>('classes.get', { id: created.id })).name).toBe('Molecular Biology');
  });

  it('hides archived classes unless asked, and brings them back when unarchived', async () => {
    const kept = await value<StudyClass>('classes.create', { name: 'Kept' });
    const old = await value<StudyClass>('classes.create', { name: 'Old' });
    await value('classes.update', { id: old.id, patch: { archived: true } });
    expect((await value<StudyClass[]>('classes.list')).map((c) => c.id)).toEqual([kept.id]);
    const all = await value<StudyClass[]>('classes.list', { includeArchived: true });
    expect(all.map((c) => [c.name, c.archived])).toEqual([
      ['Kept', false],
      ['Old', true],
    ]);
    await value('classes.update', { id: old.id, patch: { archived: false } });
    expect(await value<StudyClass[]>('classes.list')).toHaveLength(2);
  });

  it('reorders classes and keeps that order', async () => {
    const [a, b, c] = [
      await value<StudyClass>('classes.create', { name: 'A' }),
      await value<StudyClass>('classes.create', { name: 'B' }),
      await value<StudyClass>('classes.create', { name: 'C' }),
    ];
    await value('classes.reorder', { ids: [c!.id, a!.id] });
    expect((await value<StudyClass[]>('classes.list')).map((x) => x.name)).toEqual(['C', 'A', 'B']);
    expect((await failure('classes.reorder', { ids: [a!.id, a!.id] })).code).toBe('INVALID_INPUT');
    expect((await failure('classes.reorder', { ids: [b!.id, crypto.randomUUID()] })).code).toBe('NOT_FOUND');
    expect((await value<StudyClass[]>('classes.list')).map((x) => x.name)).toEqual(['C', 'A', 'B']);
  });

  it('deletes a class and its exams; a second delete is NOT_FOUND', async () => {
    const created = await value<StudyClass>('classes.create', biology);
    expect(await value('classes.delete', { id: created.id })).toEqual({ id: created.id });
    expect(await value<StudyClass[]>('classes.list', { includeArchived: true })).toEqual([]);
    expect((await failure('classes.get', { id: created.id })).code).toBe('NOT_FOUND');
    const again = await failure('classes.delete', { id: created.id });
    expect(again.code).toBe('NOT_FOUND');
    expect(again.message).toMatch(/no longer exists/);
  });

  it('rejects invalid input naming the fields, and stores nothing', async () => {
    const error = await failure('classes.create', {
      name: '  ',
      schedule: [{ day: 2, start: '14:00', end: '13:00' }],
      exams: [{ title: 'Final', date: '14/12/2026' }],
    });
    expect(error.code).toBe('INVALID_INPUT');
    const paths = (error.details as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'schedule.0.end', 'exams.0.date']));
    expect(await value<StudyClass[]>('classes.list', { includeArchived: true })).toEqual([]);
    expect((await failure('classes.update', { id: 'not-a-uuid', patch: { name: 'x' } })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await failure('classes.get', { id: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect((await failure('no.such.procedure', {})).code).toBe('INVALID_INPUT');
  });

  it('reads default settings, persists a change and announces it', async () => {
    expect(await value<Settings>('settings.get')).toEqual({
      theme: 'system',
      weekStartsOn: 'monday',
      jobConcurrency: 2,
      embeddingModelId: null,
      tutorEngine: { kind: 'auto' },
      transcriptionModelId: null,
      transcriptionLanguage: 'en',
      readAloudVoiceId: null,
      readAloudSpeed: 1,
    });
    const updated = await value<Settings>('settings.update', { theme: 'dark' });
    expect(updated.theme).toBe('dark');
    expect(await value<Settings>('settings.get')).toMatchObject({ theme: 'dark', weekStartsOn: 'monday' });
    await waitFor(
      () => client.events.find((e) => e.name === 'settings.changed'),
      (event) => event?.name === 'settings.changed' && event.payload.settings.theme === 'dark',
    );
    const error = await failure('settings.update', { theme: 'purple', unknownKey: 1 });
    expect(error.code).toBe('INVALID_INPUT');
    expect((await value<Settings>('settings.get')).theme).toBe('dark');
  });

  it('answers app.info with versions, paths and machine facts', async () => {
    const info = await value<{
      versions: Record<string, string>;
      paths: { data: string };
      cpu: { cores: number };
      storage: unknown;
    }>('app.info');
    expect(info.versions).toMatchObject({ node: process.versions.node, 'sqlite-vec': 'v0.1.9' });
    expect(info.paths.data).toBe(dir.path);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.storage).toMatchObject({ fts5: true });
  });
});
