/**
 * FOR UI COMPONENT TESTS ONLY: the test engine plus hand-written library handlers (materials,
 * imports as jobs, pages, search) that keep everything in memory and emit the engine's events.
 */
import {
  libraryProcedures,
  type Job,
  type Material,
  type MaterialPage,
  type SearchHit,
  type StudyClass,
} from '@little-monster/core/contract';
import { fakeFiles } from '../../../test-support/fake-files';
import { rpcError } from '../../../test-support/memory-transport';
import { createTestEngine, makeJob, type TestEngine } from '../../../test-support/test-engine';

type Library = typeof libraryProcedures;
type LibraryName = keyof Library;
type ArgsOf<S> = S extends { _zod: { output: infer O } } ? O : never;
export type LibraryHandlers = {
  [N in LibraryName]: (input: ArgsOf<Library[N]['input']>) => unknown;
};

export interface LibraryTestEngine extends TestEngine {
  materials: Material[];
  /** Pages by material id. */
  pages: Map<string, MaterialPage[]>;
  /** What search.query answers (whatever the query). */
  search: { hits: SearchHit[]; semanticAvailable: boolean; notice?: string };
  /** Replace an entry to make a library procedure behave differently. */
  library: LibraryHandlers;
  /** Files the page uploaded, by upload id. */
  uploads: Map<string, File>;
  /** Moves an import job on, as the engine's worker would. */
  progress(jobId: string, progress: number, message?: string): void;
  /** The import job finished: the material is ready with these pages. */
  finishImport(jobId: string, pageTexts?: string[], warnings?: string[]): void;
  /** The import job failed: its material is removed, the job carries the reason. */
  failImport(jobId: string, error: string): void;
}

let counter = 0;

const CLASS_GONE = 'That class no longer exists. Choose another class.';

export function makeMaterial(fields: Partial<Material> & { title: string }): Material {
  counter += 1;
  return {
    id: crypto.randomUUID(),
    classId: null,
    type: 'pdf',
    status: 'ready',
    sourceName: `${fields.title}.pdf`,
    mimeType: 'application/pdf',
    bytes: 1000,
    pageCount: 1,
    warnings: [],
    jobId: null,
    importedAt: `2026-09-${String(10 + (counter % 18)).padStart(2, '0')}T08:00:00.000Z`,
    updatedAt: '2026-09-10T08:00:00.000Z',
    ...fields,
  };
}

export function makePage(
  materialId: string,
  pageNumber: number,
  text: string,
  fields: Partial<MaterialPage> = {},
) {
  return {
    materialId,
    pageNumber,
    text,
    notes: null,
    words: [],
    source: 'text-layer',
    ocrConfidence: null,
    width: null,
    height: null,
    ...fields,
  } satisfies MaterialPage;
}

/** Where a hit on one page sits (its whole first ten characters unless `spans` says). */
export const onPage = (page: number, spans = [{ page, start: 0, end: 10 }]): SearchHit['location'] => ({
  kind: 'pages',
  pageStart: page,
  pageEnd: page,
  spans,
});

/** A hit in a material (`materialId`), on its first page unless `location` says. */
export function makeHit(fields: Partial<SearchHit> & { materialId: string; title: string }): SearchHit {
  counter += 1;
  const { materialId, ...rest } = fields;
  return {
    chunkId: counter,
    ref: { kind: 'material', id: materialId },
    materialType: 'pdf',
    classId: null,
    location: onPage(1),
    heading: null,
    snippet: 'A snippet',
    score: 1,
    matchedBy: ['keyword'],
    ...rest,
  };
}

export function createLibraryTestEngine(
  initial: {
    classes?: StudyClass[];
    materials?: Material[];
    jobs?: Job[];
    /** false: the desktop app for now (imports by path only, pages as text). */
    files?: boolean;
  } = {},
): LibraryTestEngine {
  const base = createTestEngine({
    ...(initial.classes ? { classes: initial.classes } : {}),
    ...(initial.jobs ? { jobs: initial.jobs } : {}),
  });
  const transport = base.transport;
  const uploads = new Map<string, File>();
  const engine = Object.assign(base, {
    materials: [...(initial.materials ?? [])],
    pages: new Map<string, MaterialPage[]>(),
    search: { hits: [] as SearchHit[], semanticAvailable: true },
    uploads,
  }) as LibraryTestEngine;
  if (initial.files !== false) transport.files = fakeFiles(uploads);

  const emit = (event: Parameters<typeof transport.emit>[0]) => queueMicrotask(() => transport.emit(event));
  const changed = (ids: string[]) => emit({ name: 'materials.changed', payload: { ids } });
  const find = (id: string) => {
    const found = engine.materials.find((m) => m.id === id);
    if (!found) throw rpcError('NOT_FOUND', 'That material no longer exists. It may have been deleted.');
    return found;
  };
  const jobOf = (jobId: string) => {
    const job = engine.jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return job;
  };
  const startImport = (name: string, classId: string | null, fields: Partial<Material> = {}) => {
    const material = makeMaterial({
      title: name.replace(/\.[^.]+$/, ''),
      sourceName: name,
      classId,
      status: 'importing',
      // As the engine does: the type is known once the file has been read.
      type: 'text',
      pageCount: 0,
      ...fields,
    });
    const job = makeJob({ kind: 'material.import', title: `Import ${name}`, status: 'queued' });
    material.jobId = job.id;
    material.importedAt = new Date().toISOString();
    engine.materials.push(material);
    engine.jobs.push(job);
    emit({ name: 'job.updated', payload: { job: { ...job } } });
    changed([material.id]);
    return { name, materialId: material.id, jobId: job.id };
  };

  engine.library = {
    'materials.list': ({ classId, type, limit, offset }) => {
      const matching = engine.materials
        .filter((m) => classId === undefined || m.classId === (classId === 'unfiled' ? null : classId))
        .filter((m) => type === undefined || m.type === type)
        .sort((a, b) => b.importedAt.localeCompare(a.importedAt));
      return { items: matching.slice(offset, offset + limit), total: matching.length };
    },
    'materials.get': ({ id }) => find(id),
    'materials.import': ({ classId, sources }) => {
      engine.assertClass(classId, CLASS_GONE);
      return {
        items: sources.map((source) =>
          startImport(
            source.kind === 'upload' ? source.name : (source.path.split('/').pop() ?? source.path),
            classId,
          ),
        ),
      };
    },
    'materials.pasteText': ({ classId, title }) => {
      engine.assertClass(classId, CLASS_GONE);
      return startImport(`${title}.txt`, classId, { title, type: 'text', mimeType: 'text/plain' });
    },
    'materials.update': ({ id, patch }) => {
      if (patch.classId !== undefined) engine.assertClass(patch.classId, CLASS_GONE);
      const material = find(id);
      Object.assign(material, patch, { updatedAt: new Date().toISOString() });
      changed([id]);
      return material;
    },
    'materials.delete': ({ ids }) => {
      const deleted = engine.materials.filter((m) => ids.includes(m.id)).map((m) => m.id);
      if (deleted.length === 0) throw rpcError('NOT_FOUND', 'Those materials no longer exist.');
      engine.materials = engine.materials.filter((m) => !deleted.includes(m.id));
      changed(deleted);
      return { deleted };
    },
    'materials.page': ({ id, page }) => {
      find(id);
      const found = engine.pages.get(id)?.find((p) => p.pageNumber === page);
      if (!found) throw rpcError('NOT_FOUND', `This material has no page ${page}.`);
      return found;
    },
    // The engine's find, for what these tests need: a literal, case-insensitive match.
    'materials.find': ({ id, text }) => {
      find(id);
      const wanted = text.toLowerCase();
      const matches = (engine.pages.get(id) ?? []).flatMap((page) => {
        const found: { page: number; start: number; end: number }[] = [];
        const lower = page.text.toLowerCase();
        for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1))
          found.push({ page: page.pageNumber, start: at, end: at + wanted.length });
        return found;
      });
      return { matches, truncated: false };
    },
    'search.query': () => engine.search,
  };

  engine.progress = (jobId, progress, message) => {
    Object.assign(jobOf(jobId), { status: 'running', progress, message: message ?? null });
    transport.emit({
      name: 'job.progress',
      payload: { id: jobId, kind: 'material.import', progress, message: message ?? null },
    });
  };
  engine.finishImport = (jobId, pageTexts = ['Page one'], warnings = []) => {
    const material = engine.materials.find((m) => m.jobId === jobId);
    // The import job's result, as the engine gives it.
    const result = { materialId: material?.id, pages: pageTexts.length, warnings: warnings.length };
    const job = Object.assign(jobOf(jobId), { status: 'succeeded', progress: 1, result } as const);
    if (material) {
      const type = material.sourceName.toLowerCase().endsWith('.pdf') ? 'pdf' : 'text';
      Object.assign(material, { status: 'ready', type, jobId: null, pageCount: pageTexts.length, warnings });
      engine.pages.set(
        material.id,
        pageTexts.map((text, index) => makePage(material.id, index + 1, text)),
      );
    }
    transport.emit({ name: 'job.updated', payload: { job: { ...job } } });
    if (material) transport.emit({ name: 'materials.changed', payload: { ids: [material.id] } });
  };
  engine.failImport = (jobId, error) => {
    const job = Object.assign(jobOf(jobId), { status: 'failed', error } as const);
    const material = engine.materials.find((m) => m.jobId === jobId);
    engine.materials = engine.materials.filter((m) => m !== material);
    transport.emit({ name: 'job.updated', payload: { job: { ...job } } });
    if (material) transport.emit({ name: 'materials.changed', payload: { ids: [material.id] } });
  };

  // Looked up at call time, so a test can replace an entry of `engine.library` after this.
  for (const name of Object.keys(libraryProcedures) as LibraryName[]) {
    (engine.handlers as Record<string, unknown>)[name] = (input: unknown) =>
      (engine.library[name] as (args: unknown) => unknown)(input);
  }
  return engine;
}
