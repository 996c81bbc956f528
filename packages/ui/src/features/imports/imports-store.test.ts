import { describe, expect, it, vi } from 'vitest';
import type { ImportOutcome, ImportSource } from '@little-monster/core/contract';
import { rpcError } from '../../test-support/memory-transport';
import { createImportsStore } from './imports-store';

describe('import queue', () => {
  it('turns a folder path into one row per file the engine found there', async () => {
    const calls: [string | null, ImportSource[]][] = [];
    const store = createImportsStore({
      files: undefined,
      importSources: (classId, sources) => {
        calls.push([classId, sources]);
        const outcomes: ImportOutcome[] = [
          { name: 'a.pdf', materialId: crypto.randomUUID(), jobId: crypto.randomUUID() },
          { name: 'b.exe', error: 'Little Monster cannot read this kind of file.' },
        ];
        return Promise.resolve(outcomes);
      },
    });
    store.getState().importPath('/home/sam/Week 1', 'c1');
    expect(store.getState().rows).toMatchObject([{ name: '/home/sam/Week 1', phase: 'starting' }]);
    await vi.waitFor(() =>
      expect(store.getState().rows).toMatchObject([
        { name: 'a.pdf', phase: 'importing' },
        { name: 'b.exe', phase: 'refused', error: 'Little Monster cannot read this kind of file.' },
      ]),
    );
    expect(calls).toEqual([['c1', [{ kind: 'path', path: '/home/sam/Week 1' }]]]);
  });

  it('says why when the engine refuses the whole import', async () => {
    const store = createImportsStore({
      files: undefined,
      importSources: () =>
        Promise.reject(rpcError('NOT_FOUND', 'That class no longer exists. Choose another class.')),
    });
    store.getState().importPath('/tmp/x.pdf', 'gone');
    await vi.waitFor(() =>
      expect(store.getState().rows).toMatchObject([
        { phase: 'refused', error: 'That class no longer exists. Choose another class.' },
      ]),
    );
  });

  it('imports chosen files by their path on the desktop, without uploading them', async () => {
    const imported: unknown[] = [];
    const store = createImportsStore({
      files: undefined,
      localFiles: { pathOf: (file) => (file.name === 'web.pdf' ? '' : `/home/student/${file.name}`) },
      importSources: (_classId, sources) => {
        imported.push(...sources);
        return Promise.resolve(sources.map(() => ({ name: 'week-1.pdf', jobId: crypto.randomUUID() })));
      },
    });
    store.getState().importFiles([new File(['1'], 'week-1.pdf'), new File(['2'], 'web.pdf')], null);
    await vi.waitFor(() => expect(store.getState().rows[0]?.phase).toBe('importing'));
    expect(imported).toEqual([{ kind: 'path', path: '/home/student/week-1.pdf' }]);
    expect(store.getState().rows).toMatchObject([
      { name: 'week-1.pdf', phase: 'importing' },
      { name: 'web.pdf', phase: 'refused', error: 'This file is not on this computer. Save it first.' },
    ]);
  });

  it('cancels a file still waiting for its upload turn without sending it', async () => {
    let release: () => void = () => {};
    const sent: string[] = [];
    const store = createImportsStore({
      files: {
        upload: (file) => {
          sent.push(file.name);
          return new Promise((resolve) => {
            release = () => resolve({ uploadId: crypto.randomUUID(), bytes: file.size });
          });
        },
        urlOf: (id) => id,
      },
      importSources: (_classId, sources) =>
        Promise.resolve(
          sources.map((s) => ({ name: s.kind === 'upload' ? s.name : s.path, jobId: crypto.randomUUID() })),
        ),
    });
    store.getState().importFiles([new File(['1'], 'one.pdf'), new File(['2'], 'two.pdf')], null);
    await vi.waitFor(() => expect(sent).toEqual(['one.pdf']));
    const second = store.getState().rows[1]!;
    expect(second.phase).toBe('waiting');
    store.getState().cancelUpload(second.key);
    release();
    // A file chosen next is uploaded once the queue has passed the cancelled one.
    store.getState().importFiles([new File(['3'], 'three.pdf')], null);
    await vi.waitFor(() => {
      expect(sent).toEqual(['one.pdf', 'three.pdf']);
      expect(store.getState().rows.map((row) => row.phase)).toEqual(['importing', 'cancelled', 'uploading']);
    });
  });
});
