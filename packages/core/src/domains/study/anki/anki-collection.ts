/**
 * Opens the SQLite collection inside a package (in memory, read-only) and reads its note types,
 * decks and deck options from whichever schema it uses: schema 11 keeps them as JSON in `col`,
 * schema 15-18 as protobuf blobs in tables whose names use Anki's `unicase` collation, which
 * SQLite outside Anki does not have (see `withoutUnicase`).
 * Notes, cards and the review log have the same columns in both.
 */
import Database from 'better-sqlite3';
import { invalidPackage } from './package-archive.js';
import { ProtoMessage } from './protobuf-fields.js';

export interface AnkiNoteType {
  id: number;
  name: string;
  kind: 'standard' | 'cloze';
  fields: string[];
  templates: { name: string; front: string; back: string }[];
}

export interface AnkiDeck {
  id: number;
  /** "Parent::Child". */
  name: string;
  description: string;
  configId: number | null;
}

export interface AnkiDeckConfig {
  learnStepsMinutes?: number[];
  relearnStepsMinutes?: number[];
  newPerDay?: number;
  reviewsPerDay?: number;
  maximumInterval?: number;
  desiredRetention?: number;
  fsrsWeights?: number[];
  easyDays?: number[];
}

export interface AnkiCollection {
  db: Database.Database;
  schemaVersion: number;
  /** Collection creation, epoch seconds: review due days count from it. */
  createdAt: number;
  noteTypes: Map<number, AnkiNoteType>;
  decks: Map<number, AnkiDeck>;
  deckConfigs: Map<number, AnkiDeckConfig>;
}

/** The tables every schema has, with the columns this reader uses. */
const REQUIRED_COLUMNS: Record<string, string[]> = {
  col: ['ver', 'crt', 'models', 'decks', 'dconf'],
  notes: ['id', 'guid', 'mid', 'tags', 'flds'],
  cards: ['id', 'nid', 'did', 'ord', 'type', 'queue', 'due', 'ivl', 'factor', 'odue', 'odid', 'data'],
  revlog: ['id', 'cid', 'ease', 'ivl', 'factor', 'time', 'type'],
};
const REQUIRED_TABLES = Object.keys(REQUIRED_COLUMNS);
const MODERN_TABLES = ['notetypes', 'fields', 'templates', 'decks', 'deck_config'];

export function openAnkiCollection(bytes: Buffer): AnkiCollection {
  let db: Database.Database;
  try {
    // An in-memory copy: nothing written to it reaches the package or the disk.
    db = new Database(bytes);
  } catch {
    throw damaged('it is not an SQLite database');
  }
  try {
    withoutUnicase(db);
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) {
      throw invalidPackage(
        `The collection in this package has no ${missing.map((name) => `"${name}"`).join(', ')} table, so it is not a complete Anki collection. Export the deck from Anki again.`,
      );
    }
    for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
      const info = db.pragma(`table_info(${table})`) as { name: string }[];
      const present = new Set(info.map((column) => column.name));
      const absent = columns.find((column) => !present.has(column));
      if (absent) throw damaged(`its "${table}" table has no "${absent}" column`);
    }
    const col = db.prepare<[], { ver: number; crt: number }>('SELECT ver, crt FROM col LIMIT 1').get();
    if (!col) throw damaged('its "col" table is empty');
    const modern = MODERN_TABLES.every((table) => tables.has(table));
    if (col.ver === 11 && !modern) return { db, schemaVersion: 11, createdAt: col.crt, ...readSchema11(db) };
    if (col.ver >= 15 && col.ver <= 18 && modern) {
      return { db, schemaVersion: col.ver, createdAt: col.crt, ...readSchema18(db) };
    }
    if (col.ver >= 11 && col.ver <= 18) {
      throw invalidPackage(
        `The collection in this package says it is schema ${col.ver} but lacks the tables that version has (${MODERN_TABLES.filter((table) => !tables.has(table)).join(', ') || 'it has newer ones than schema 11 allows'}). Export the deck from Anki again.`,
      );
    }
    throw invalidPackage(
      `The collection in this package uses Anki schema version ${col.ver}, which this app cannot read (it reads versions 11 and 15 to 18). In Anki, export again with "Support older Anki versions" ticked.`,
    );
  } catch (error) {
    db.close();
    if (error instanceof Error && /not a database|malformed|file is encrypted/i.test(error.message)) {
      throw damaged('it is not a readable SQLite database');
    }
    throw error;
  }
}

/**
 * Schema 18 declares its name columns `COLLATE unicase`, a collation only Anki registers (and
 * better-sqlite3 cannot). SQLite then refuses any query on its WITHOUT ROWID tables (fields,
 * templates, tags: "no query solution"), since their rows are keyed by every column. This copy
 * declares NOCASE instead; the rows are only scanned, never looked up or sorted by name, so the
 * b-trees ordered by Anki's collation read correctly.
 */
function withoutUnicase(db: Database.Database): void {
  const declared = db
    .prepare<[], { count: number }>(
      "SELECT count(*) AS count FROM sqlite_master WHERE sql LIKE '%COLLATE unicase%'",
    )
    .get()!.count;
  if (declared === 0) return;
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_master SET sql = replace(sql, 'COLLATE unicase', 'COLLATE NOCASE')").run();
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
}

function damaged(reason: string) {
  return invalidPackage(
    `The collection in this package is damaged (${reason}). Export the deck from Anki again.`,
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw damaged(`its ${what} are not valid JSON`);
  }
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const numberOrUndefined = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const numbers = (value: unknown) => {
  const values = list(value).filter(
    (item): item is number => typeof item === 'number' && Number.isFinite(item),
  );
  return values.length > 0 ? values : undefined;
};

function readSchema11(db: Database.Database) {
  const row = db
    .prepare<[], { models: string; decks: string; dconf: string }>(
      'SELECT models, decks, dconf FROM col LIMIT 1',
    )
    .get()!;
  const noteTypes = new Map<number, AnkiNoteType>();
  for (const model of Object.values(record(parseJson(row.models, 'note types')))) {
    const { id, name, type, flds, tmpls } = record(model);
    const byOrd = (a: unknown, b: unknown) => Number(record(a)['ord']) - Number(record(b)['ord']);
    noteTypes.set(Number(id), {
      id: Number(id),
      name: text(name),
      kind: type === 1 ? 'cloze' : 'standard',
      fields: list(flds)
        .sort(byOrd)
        .map((field) => text(record(field)['name'])),
      templates: list(tmpls)
        .sort(byOrd)
        .map((template) => {
          const { name: templateName, qfmt, afmt } = record(template);
          return { name: text(templateName), front: text(qfmt), back: text(afmt) };
        }),
    });
  }
  const decks = new Map<number, AnkiDeck>();
  for (const deck of Object.values(record(parseJson(row.decks, 'decks')))) {
    const { id, name, desc, conf, dyn } = record(deck);
    decks.set(Number(id), {
      id: Number(id),
      name: text(name),
      description: text(desc),
      configId: dyn ? null : (numberOrUndefined(conf) ?? 1),
    });
  }
  const deckConfigs = new Map<number, AnkiDeckConfig>();
  for (const config of Object.values(record(parseJson(row.dconf, 'deck options')))) {
    const json = record(config);
    const fresh = record(json['new']);
    const review = record(json['rev']);
    const lapse = record(json['lapse']);
    deckConfigs.set(Number(json['id']), {
      learnStepsMinutes: numbers(fresh['delays']),
      relearnStepsMinutes: numbers(lapse['delays']),
      newPerDay: numberOrUndefined(fresh['perDay']),
      reviewsPerDay: numberOrUndefined(review['perDay']),
      maximumInterval: numberOrUndefined(review['maxIvl']),
      desiredRetention: numberOrUndefined(json['desiredRetention']),
      fsrsWeights: numbers(json['fsrsParams6']) ?? numbers(json['fsrsWeights']),
      easyDays: numbers(json['easyDaysPercentages']),
    });
  }
  return { noteTypes, decks, deckConfigs };
}

function readSchema18(db: Database.Database) {
  const decode = (bytes: Buffer | null, what: string) => {
    try {
      return new ProtoMessage(bytes ?? new Uint8Array());
    } catch {
      throw damaged(`its ${what} cannot be decoded`);
    }
  };
  const noteTypes = new Map<number, AnkiNoteType>();
  for (const row of db
    .prepare<[], { id: number; name: string; config: Buffer }>('SELECT id, name, config FROM notetypes')
    .all()) {
    // Notetype.Config: kind = 1 (0 normal, 1 cloze)
    const config = decode(row.config, 'note types');
    noteTypes.set(row.id, {
      id: row.id,
      name: row.name,
      kind: config.uint(1) === 1 ? 'cloze' : 'standard',
      fields: [],
      templates: [],
    });
  }
  for (const row of db
    .prepare<[], { ntid: number; name: string }>('SELECT ntid, name FROM fields ORDER BY ntid, ord')
    .all()) {
    noteTypes.get(row.ntid)?.fields.push(row.name);
  }
  for (const row of db
    .prepare<[], { ntid: number; name: string; config: Buffer }>(
      'SELECT ntid, name, config FROM templates ORDER BY ntid, ord',
    )
    .all()) {
    // Notetype.Template.Config: q_format = 1, a_format = 2
    const config = decode(row.config, 'card templates');
    noteTypes
      .get(row.ntid)
      ?.templates.push({ name: row.name, front: config.string(1) ?? '', back: config.string(2) ?? '' });
  }
  const decks = new Map<number, AnkiDeck>();
  for (const row of db
    .prepare<[], { id: number; name: string; kind: Buffer }>('SELECT id, name, kind FROM decks')
    .all()) {
    // Deck.KindContainer: normal = 1 (Deck.Normal: config_id = 1, description = 4), filtered = 2
    const normal = decode(row.kind, 'decks').message(1);
    decks.set(row.id, {
      id: row.id,
      // Schema 18 stores "Parent\x1fChild".
      name: row.name.split('\x1f').join('::'),
      description: normal?.string(4) ?? '',
      configId: normal ? (normal.int(1) ?? 1) : null,
    });
  }
  const deckConfigs = new Map<number, AnkiDeckConfig>();
  for (const row of db
    .prepare<[], { id: number; config: Buffer }>('SELECT id, config FROM deck_config')
    .all()) {
    // DeckConfig.Config, by field number (proto/anki/deck_config.proto)
    const config = decode(row.config, 'deck options');
    const weights = [config.floats(6), config.floats(5)].find((candidate) => candidate.length > 0);
    const easyDays = config.floats(4);
    deckConfigs.set(row.id, {
      learnStepsMinutes: config.floats(1),
      relearnStepsMinutes: config.floats(2),
      newPerDay: config.uint(9),
      reviewsPerDay: config.uint(10),
      maximumInterval: config.uint(16),
      desiredRetention: config.float(37),
      fsrsWeights: weights,
      easyDays: easyDays.length > 0 ? easyDays : undefined,
    });
  }
  return { noteTypes, decks, deckConfigs };
}
