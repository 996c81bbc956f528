import type { ImportOutcome, ImportSource } from '@little-monster/core/contract';
import { createStore, type StoreApi } from 'zustand';
import { explainError } from '../../app/error-messages';
import { UploadError } from '../../transport/http-files';
import type { FileAccess, LocalFiles } from '../../transport/types';

/** One file the student asked to import, from the moment it was chosen until they clear it. */
export interface ImportRow {
  key: string;
  /** The file's name (or the typed path until the engine says which files it found there). */
  name: string;
  phase:
    | 'waiting' // queued behind other uploads
    | 'uploading'
    | 'starting' // sent; waiting for materials.import to answer
    | 'importing' // a job is reading it: its progress and outcome come from the job
    | 'duplicate'
    | 'refused'
    | 'cancelled'
    | 'imported'; // pasted text with no job to follow
  sent?: number;
  total?: number;
  jobId?: string;
  materialId?: string;
  duplicateOf?: { id: string; title: string };
  /** Why the file was not imported. */
  error?: string;
}

export interface ImportsState {
  rows: ImportRow[];
  /** Uploads files (browser mode), then starts one import each. */
  importFiles(files: File[], classId: string | null): void;
  /** Imports a file or folder by its path on this computer (the engine reads it). */
  importPath(path: string, classId: string | null): void;
  /** Shows what a paste (or any other single import) led to. */
  addOutcome(outcome: ImportOutcome): void;
  /** Stops an upload that has not reached the engine yet. Jobs are cancelled with jobs.cancel. */
  cancelUpload(key: string): void;
  clear(keys: readonly string[]): void;
}

export interface ImportsDeps {
  files: FileAccess | undefined;
  /** Desktop: import chosen files by their path, without uploading them. */
  localFiles?: LocalFiles | undefined;
  importSources(classId: string | null, sources: ImportSource[]): Promise<ImportOutcome[]>;
}

const errorMessage = (error: unknown) =>
  error instanceof UploadError ? error.message : explainError(error).message;

/** What a row shows once the engine has answered for its file. */
export function rowFromOutcome(key: string, outcome: ImportOutcome): ImportRow {
  if (outcome.duplicateOf)
    return { key, name: outcome.name, phase: 'duplicate', duplicateOf: outcome.duplicateOf };
  if (outcome.error) return { key, name: outcome.name, phase: 'refused', error: outcome.error };
  if (outcome.jobId)
    return {
      key,
      name: outcome.name,
      phase: 'importing',
      jobId: outcome.jobId,
      ...(outcome.materialId ? { materialId: outcome.materialId } : {}),
    };
  return {
    key,
    name: outcome.name,
    phase: 'imported',
    ...(outcome.materialId ? { materialId: outcome.materialId } : {}),
  };
}

/**
 * The import queue lives outside any page, so uploads keep going (and their rows stay) while the
 * student looks elsewhere. Uploads run one at a time; each file's import starts as soon as it is up.
 */
export function createImportsStore({
  files,
  localFiles,
  importSources,
}: ImportsDeps): StoreApi<ImportsState> {
  let nextKey = 1;
  const newKey = () => `import-${nextKey++}`;
  const controllers = new Map<string, AbortController>();
  let uploads: Promise<void> = Promise.resolve();

  return createStore<ImportsState>()((set, get) => {
    const patch = (key: string, change: Partial<ImportRow>) =>
      set((state) => ({ rows: state.rows.map((row) => (row.key === key ? { ...row, ...change } : row)) }));
    const replace = (key: string, rows: ImportRow[]) =>
      set((state) => ({ rows: state.rows.flatMap((row) => (row.key === key ? rows : [row])) }));
    const isCancelled = (key: string) => get().rows.find((row) => row.key === key)?.phase === 'cancelled';

    async function start(key: string, classId: string | null, sources: ImportSource[]) {
      patch(key, { phase: 'starting' });
      try {
        const outcomes = await importSources(classId, sources);
        replace(
          key,
          outcomes.length === 0
            ? [
                {
                  key,
                  name: get().rows.find((r) => r.key === key)?.name ?? '',
                  phase: 'refused',
                  error: 'There were no files to import there.',
                },
              ]
            : outcomes.map((outcome, index) => rowFromOutcome(index === 0 ? key : newKey(), outcome)),
        );
      } catch (error) {
        patch(key, { phase: 'refused', error: errorMessage(error) });
      }
    }

    async function uploadThenImport(key: string, file: File, classId: string | null, access: FileAccess) {
      if (isCancelled(key)) return;
      const controller = new AbortController();
      controllers.set(key, controller);
      patch(key, { phase: 'uploading', sent: 0, total: file.size });
      try {
        const { uploadId } = await access.upload(file, {
          signal: controller.signal,
          onProgress: (sent, total) => patch(key, { sent, total }),
        });
        // Not awaited: the next upload starts while the engine takes this one.
        void start(key, classId, [{ kind: 'upload', uploadId, name: file.name }]);
      } catch (error) {
        if (error instanceof UploadError && error.aborted) patch(key, { phase: 'cancelled' });
        else patch(key, { phase: 'refused', error: errorMessage(error) });
      } finally {
        controllers.delete(key);
      }
    }

    return {
      rows: [],

      importFiles(chosen, classId) {
        if (localFiles) {
          for (const file of chosen) {
            const key = newKey();
            const path = localFiles.pathOf(file);
            set((state) => ({
              rows: [
                ...state.rows,
                path
                  ? { key, name: file.name, phase: 'starting' }
                  : {
                      key,
                      name: file.name,
                      phase: 'refused',
                      error: 'This file is not on this computer. Save it first.',
                    },
              ],
            }));
            if (path) void start(key, classId, [{ kind: 'path', path }]);
          }
          return;
        }
        const rows: ImportRow[] = chosen.map((file) => ({
          key: newKey(),
          name: file.name,
          phase: files ? 'waiting' : 'refused',
          ...(files
            ? {}
            : { error: 'This window cannot send files to the engine. Import them by path instead.' }),
        }));
        set((state) => ({ rows: [...state.rows, ...rows] }));
        if (!files) return;
        rows.forEach((row, index) => {
          const file = chosen[index];
          if (!file) return;
          uploads = uploads.then(() => uploadThenImport(row.key, file, classId, files));
        });
      },

      importPath(path, classId) {
        const key = newKey();
        set((state) => ({ rows: [...state.rows, { key, name: path, phase: 'starting' }] }));
        void start(key, classId, [{ kind: 'path', path }]);
      },

      addOutcome(outcome) {
        set((state) => ({ rows: [...state.rows, rowFromOutcome(newKey(), outcome)] }));
      },

      cancelUpload(key) {
        const row = get().rows.find((r) => r.key === key);
        if (row?.phase === 'waiting') patch(key, { phase: 'cancelled' });
        else controllers.get(key)?.abort();
      },

      clear(keys) {
        set((state) => ({ rows: state.rows.filter((row) => !keys.includes(row.key)) }));
      },
    };
  });
}
