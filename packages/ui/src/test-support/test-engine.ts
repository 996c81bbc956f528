/**
 * FOR UI COMPONENT TESTS ONLY: hand-written handlers that keep classes, settings, jobs and
 * backups in memory and emit the events the engine emits, over the memory transport.
 */
import {
  SETTING_DEFAULTS,
  type AppInfo,
  type Backup,
  type Job,
  type Settings,
  type StudyClass,
  type Voice,
} from '@little-monster/core/contract';
import {
  createMemoryTransport,
  rpcError,
  type MemoryHandlers,
  type MemoryTransport,
} from './memory-transport';

export interface TestEngine {
  transport: MemoryTransport;
  /** Replace an entry to make a procedure fail or behave differently. */
  handlers: MemoryHandlers;
  classes: StudyClass[];
  settings: Settings;
  jobs: Job[];
  backups: Backup[];
  /** Calls received for one procedure, with their input. */
  callsTo(method: string): unknown[];
  /** Fails the call with NOT_FOUND, as the engine does, when a class id names no class. */
  assertClass(classId: string | null, message?: string): void;
}

export const APP_INFO: AppInfo = {
  appVersion: '0.1.0',
  versions: { node: '20.19.0', sqlite: '3.50.4', 'better-sqlite3': '12.11.1' },
  platform: 'linux',
  arch: 'x64',
  paths: {
    data: '/home/student/.local/share/little-monster',
    database: '/home/student/.local/share/little-monster/little-monster.sqlite',
    logs: '/home/student/.local/share/little-monster/logs',
    backups: '/home/student/.local/share/little-monster/backups',
    models: '/home/student/.local/share/little-monster/models',
    resources: '/opt/little-monster/resources',
  },
  cpu: { model: 'Test CPU', cores: 2 },
  memory: { totalBytes: 24 * 1024 ** 3, freeBytes: 12 * 1024 ** 3 },
  disk: { totalBytes: 500 * 1024 ** 3, freeBytes: 200 * 1024 ** 3 },
  storage: { schemaVersion: 2, fts5: true, sqliteVec: 'v0.1.9' },
};

export function makeJob(fields: Partial<Job> = {}): Job {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    kind: 'backup',
    title: 'Back up your data',
    status: 'queued',
    progress: null,
    message: null,
    attempts: 0,
    maxAttempts: 1,
    error: null,
    result: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    ...fields,
  };
}

const CLASS_GONE = 'That class no longer exists. It may have been deleted.';

const byOrder = (a: StudyClass, b: StudyClass) =>
  Number(a.archived) - Number(b.archived) || a.sortOrder - b.sortOrder;

type ExamInput = Omit<StudyClass['exams'][number], 'id'> & { id?: string };

/** Exams as the engine stores them: a sent id keeps the exam, by date and time. */
const storedExams = (exams: ExamInput[]): StudyClass['exams'] =>
  exams
    .map((exam) => ({ ...exam, id: exam.id ?? crypto.randomUUID() }))
    .sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? ''));

/** The voice that is always there. */
export const ESPEAK_VOICE: Voice = {
  id: 'espeak:en-us+klatt4',
  engine: 'espeak',
  label: 'espeak-ng English (American)',
  language: 'en-us',
  cloud: false,
  available: true,
  modelId: null,
};

export function createTestEngine(
  initial: { classes?: StudyClass[]; settings?: Partial<Settings>; jobs?: Job[] } = {},
): TestEngine {
  const handlers: MemoryHandlers = {};
  const transport = createMemoryTransport(handlers);
  const engine: TestEngine = {
    transport,
    handlers,
    classes: [...(initial.classes ?? [])],
    settings: { ...SETTING_DEFAULTS, ...initial.settings },
    jobs: [...(initial.jobs ?? [])],
    backups: [],
    callsTo: (method) => transport.calls.filter((call) => call.method === method).map((call) => call.input),
    assertClass(classId, message = CLASS_GONE) {
      if (classId !== null && !engine.classes.some((cls) => cls.id === classId))
        throw rpcError('NOT_FOUND', message);
    },
  };

  const find = (id: string) => {
    const found = engine.classes.find((cls) => cls.id === id);
    if (!found) throw rpcError('NOT_FOUND', CLASS_GONE);
    return found;
  };
  const changed = (ids: string[]) =>
    queueMicrotask(() => transport.emit({ name: 'classes.changed', payload: { ids } }));

  Object.assign(handlers, {
    'app.info': () => APP_INFO,
    // A laptop with a working graphics card, unless "Use the graphics card" is off.
    'app.graphics': () =>
      engine.settings.useGpu === 'off'
        ? { backend: null, devices: [], vram: null, note: null }
        : {
            backend: 'Vulkan',
            devices: ['AMD Radeon 780M'],
            vram: { totalBytes: 4 * 1024 ** 3, freeBytes: 3 * 1024 ** 3 },
            note: null,
          },
    'account.status': () => ({ signedIn: false }),
    'settings.get': () => engine.settings,
    'readAloud.voices': () => ({
      voices: [ESPEAK_VOICE],
      current: ESPEAK_VOICE.id,
      speed: engine.settings.readAloudSpeed,
      azure: null,
    }),
    'settings.update': (patch) => {
      engine.settings = { ...engine.settings, ...patch };
      queueMicrotask(() =>
        transport.emit({ name: 'settings.changed', payload: { settings: engine.settings } }),
      );
      return engine.settings;
    },
    'classes.list': ({ includeArchived }) =>
      engine.classes.filter((cls) => includeArchived || !cls.archived).sort(byOrder),
    'classes.get': ({ id }) => find(id),
    'classes.create': (input) => {
      const now = new Date().toISOString();
      const cls: StudyClass = {
        ...input,
        id: crypto.randomUUID(),
        exams: storedExams(input.exams),
        archived: false,
        sortOrder: Math.max(-1, ...engine.classes.map((c) => c.sortOrder)) + 1,
        createdAt: now,
        updatedAt: now,
      };
      engine.classes.push(cls);
      changed([cls.id]);
      return cls;
    },
    'classes.update': ({ id, patch }) => {
      const cls = find(id);
      const { exams, ...fields } = patch;
      Object.assign(cls, fields, { updatedAt: new Date().toISOString() });
      if (exams) cls.exams = storedExams(exams);
      changed([id]);
      return cls;
    },
    'classes.reorder': ({ ids }) => {
      if (new Set(ids).size !== ids.length)
        throw rpcError('INVALID_INPUT', 'A class appears twice in the new order.');
      ids.forEach(find);
      const rest = [...engine.classes].sort(byOrder).filter((cls) => !ids.includes(cls.id));
      [...ids.map(find), ...rest].forEach((cls, index) => (cls.sortOrder = index));
      changed(ids);
      return { ok: true as const };
    },
    'classes.delete': ({ id }) => {
      find(id);
      engine.classes = engine.classes.filter((cls) => cls.id !== id);
      changed([id]);
      return { id };
    },
    'jobs.list': ({ status }) => engine.jobs.filter((job) => !status || status.includes(job.status)),
    'jobs.get': ({ id }) => {
      const job = engine.jobs.find((j) => j.id === id);
      if (!job) throw rpcError('NOT_FOUND', 'That job no longer exists.');
      return job;
    },
    'jobs.cancel': ({ id }) => {
      const job = engine.jobs.find((j) => j.id === id);
      if (!job) throw rpcError('NOT_FOUND', 'That job no longer exists.');
      Object.assign(job, { status: 'cancelled', finishedAt: new Date().toISOString() });
      queueMicrotask(() => transport.emit({ name: 'job.updated', payload: { job } }));
      return job;
    },
    'backups.list': () => engine.backups,
    'models.list': () => [],
    'tutor.status': () => ({
      choice: engine.settings.tutorEngine,
      engine: null,
      unavailableReason: 'No chat model is installed.',
      localModels: [],
      cloud: [],
      suggestedModelId: null,
    }),
    'backups.create': () => {
      const job = makeJob({ kind: 'backup', title: 'Back up your data' });
      engine.jobs.push(job);
      queueMicrotask(() => transport.emit({ name: 'job.updated', payload: { job } }));
      return { jobId: job.id };
    },
  } satisfies MemoryHandlers);

  return engine;
}
