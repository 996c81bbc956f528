import { join } from 'node:path';
import { parseTimestamp } from '@little-monster/sync';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { tempDir } from '../test-support/temp-core.js';
import { defaultMigrationsDir } from './migrations.js';
import { openDatabase, type OpenedDatabase } from './open-database.js';
import { classes, classExams } from './schema/classes.js';
import { materialPages, materials } from './schema/materials.js';
import { settings } from './schema/settings.js';
import { Store } from './store.js';

let dir: ReturnType<typeof tempDir>;
let opened: OpenedDatabase;
let store: Store;

const open = () =>
  openDatabase({
    dataDir: join(dir.path, 'data'),
    migrationsDir: defaultMigrationsDir(),
    backupsDir: join(dir.path, 'backups'),
    logger: silentLogger(),
  });

beforeEach(() => {
  dir = tempDir('lm-store-');
  opened = open();
  store = new Store(opened.sqlite, opened.db);
});
afterEach(() => {
  opened.close();
  dir.remove();
});

const NOW = '2026-05-01T12:00:00.000Z';
const newClass = (id: string, name = 'Biology') => ({
  id,
  name,
  color: '#4f7cff',
  sortOrder: 0,
  createdAt: NOW,
  updatedAt: NOW,
});
const CLASS_A = '00000000-0000-4000-8000-00000000000a';
const CLASS_B = '00000000-0000-4000-8000-00000000000b';

const feed = () =>
  store
    .changesSince()
    .map(({ tableName, rowId, operation, columns }) => ({ tableName, rowId, operation, columns }));

describe('the store’s change feed', () => {
  it('records each inserted, updated and deleted row with the columns written', () => {
    store.transaction((tx) => tx.insert(classes, [newClass(CLASS_A), newClass(CLASS_B, 'History')]));
    store.transaction((tx) =>
      tx.update(classes, { name: 'Cell biology', updatedAt: NOW }, eq(classes.id, CLASS_A)),
    );
    store.transaction((tx) => tx.delete(classes, eq(classes.id, CLASS_B)));
    const insertColumns = [
      'id',
      'name',
      'code',
      'term',
      'color',
      'instructor',
      'schedule',
      'archived',
      'sort_order',
      'created_at',
      'updated_at',
    ];
    expect(feed()).toEqual([
      { tableName: 'classes', rowId: CLASS_A, operation: 'insert', columns: insertColumns },
      { tableName: 'classes', rowId: CLASS_B, operation: 'insert', columns: insertColumns },
      { tableName: 'classes', rowId: CLASS_A, operation: 'update', columns: ['name', 'updated_at'] },
      { tableName: 'classes', rowId: CLASS_B, operation: 'delete', columns: null },
    ]);
  });

  it('records nothing for a write that touched no row', () => {
    store.transaction((tx) => tx.update(classes, { name: 'Nobody' }, eq(classes.id, CLASS_A)));
    store.transaction((tx) => tx.delete(classes, eq(classes.id, CLASS_A)));
    expect(feed()).toEqual([]);
  });

  it('names a row of a composite key by its parts, and tells an upsert’s insert from its update', () => {
    store.transaction((tx) => {
      tx.insert(materials, {
        id: 'm1',
        title: 'Notes',
        type: 'text',
        status: 'ready',
        blobSha256: 'x',
        sourceName: 'notes.txt',
        mimeType: 'text/plain',
        bytes: 1,
        importedAt: NOW,
        updatedAt: NOW,
      });
      tx.insert(materialPages, { materialId: 'm1', pageNumber: 2, text: 'Hello', source: 'document' });
      tx.upsert(settings, { key: 'theme', value: 'dark', updatedAt: NOW }, { value: 'dark', updatedAt: NOW });
      tx.upsert(
        settings,
        { key: 'theme', value: 'light', updatedAt: NOW },
        { value: 'light', updatedAt: NOW },
      );
    });
    expect(feed().map(({ tableName, rowId, operation }) => [tableName, rowId, operation])).toEqual([
      ['materials', 'm1', 'insert'],
      ['material_pages', 'm1:2', 'insert'],
      ['settings', 'theme', 'insert'],
      ['settings', 'theme', 'update'],
    ]);
    expect(opened.db.select().from(settings).get()?.value).toBe('light');
  });

  it('rolls back the changes of a failed transaction with its rows, and keeps the caller’s', () => {
    expect(() =>
      store.transaction((tx) => {
        tx.insert(classes, newClass(CLASS_A));
        throw new Error('stop');
      }),
    ).toThrow('stop');
    store.transaction((tx) => {
      tx.insert(classes, newClass(CLASS_B));
      // A nested transaction that fails rolls back only its own work.
      expect(() =>
        store.transaction((inner) => {
          inner.update(classes, { name: 'X' }, eq(classes.id, CLASS_B));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(feed()).toEqual([expect.objectContaining({ rowId: CLASS_B, operation: 'insert' })]);
    expect(
      opened.db
        .select()
        .from(classes)
        .all()
        .map((row) => row.name),
    ).toEqual(['Biology']);
  });

  it('stamps changes with increasing hybrid logical clock times of this database, across restarts', () => {
    store.transaction((tx) => tx.insert(classes, newClass(CLASS_A)));
    store.transaction((tx) => tx.update(classes, { name: 'B' }, eq(classes.id, CLASS_A)));
    const node = parseTimestamp(store.changesSince()[0]!.hlc).node;
    opened.close();
    opened = open();
    store = new Store(opened.sqlite, opened.db);
    store.transaction((tx) => tx.update(classes, { name: 'C' }, eq(classes.id, CLASS_A)));
    const stamps = store.changesSince().map((change) => change.hlc);
    expect(stamps).toHaveLength(3);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(3);
    expect(stamps.map((stamp) => parseTimestamp(stamp).node)).toEqual([node, node, node]);
  });

  it('records a change received from another device under its own timestamp, and stamps later ones after it', () => {
    store.transaction((tx) => tx.insert(classes, newClass(CLASS_A)));
    // Made on another device whose clock runs a minute ahead.
    const received = `${new Date(Date.now() + 60_000).toISOString()}-0003-fedcba9876543210`;
    store.clock.receive(received);
    store.transaction(
      (tx) => {
        tx.update(classes, { name: 'Cell biology' }, eq(classes.id, CLASS_A));
        // Work nested in it is the same received change.
        store.transaction((inner) => inner.update(classes, { code: 'BIO' }, eq(classes.id, CLASS_A)));
      },
      { timestamp: received },
    );
    store.transaction((tx) => tx.update(classes, { term: 'Autumn' }, eq(classes.id, CLASS_A)));
    const [, first, second, local] = store.changesSince().map((change) => change.hlc);
    expect([first, second]).toEqual([received, received]);
    expect(local! > received).toBe(true);
    expect(parseTimestamp(local!).node).not.toBe('fedcba9876543210');
  });

  it('checks foreign keys when the outermost transaction commits, so a row may go before its references', () => {
    store.transaction((tx) => {
      tx.insert(classes, newClass(CLASS_A));
      tx.insert(classExams, { id: 'e1', classId: CLASS_A, title: 'Final', date: '2026-12-14' });
    });
    expect(() => store.transaction((tx) => tx.delete(classes, eq(classes.id, CLASS_A)))).toThrow(
      /FOREIGN KEY/,
    );
    store.transaction((tx) => {
      tx.delete(classes, eq(classes.id, CLASS_A));
      tx.delete(classExams, eq(classExams.classId, CLASS_A));
    });
    expect(opened.db.select().from(classExams).all()).toEqual([]);
  });

  it('inserts more rows than one statement can bind', () => {
    const rows = Array.from({ length: 4000 }, (_, i) => ({
      materialId: 'm1',
      pageNumber: i + 1,
      text: `page ${i + 1}`,
      source: 'document' as const,
    }));
    store.transaction((tx) => {
      tx.insert(materials, {
        id: 'm1',
        title: 'Big',
        type: 'pdf',
        status: 'ready',
        blobSha256: 'x',
        sourceName: 'big.pdf',
        mimeType: 'application/pdf',
        bytes: 1,
        importedAt: NOW,
        updatedAt: NOW,
      });
      expect(tx.insert(materialPages, rows)).toHaveLength(4000);
    });
    expect(store.changesSince().filter((change) => change.tableName === 'material_pages')).toHaveLength(4000);
  });

  it('runs effects after the outermost commit, and drops them on a rollback', () => {
    const ran: string[] = [];
    store.afterCommit(() => ran.push('outside a transaction: at once'));
    store.transaction(() => {
      store.transaction(() => store.afterCommit(() => ran.push('committed')));
      expect(ran).toEqual(['outside a transaction: at once']);
    });
    expect(() =>
      store.transaction(() => {
        store.afterCommit(() => ran.push('rolled back'));
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(ran).toEqual(['outside a transaction: at once', 'committed']);
  });
});
