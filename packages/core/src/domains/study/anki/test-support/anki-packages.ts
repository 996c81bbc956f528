/**
 * Writes real Anki packages for tests, in each format Anki has produced: legacy `collection.anki2`
 * (schema 11, media list as JSON), `collection.anki21` beside a dummy anki2, and the current
 * `collection.anki21b` (a zstd schema-18 collection with protobuf blobs in tables collated by
 * Anki's `unicase`, a protobuf media list, zstd media files). Nothing binary is committed: every
 * test builds the package it reads.
 */
import { writeFile } from 'node:fs/promises';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { Zstd } from '@hpcc-js/wasm-zstd';
import Database from 'better-sqlite3';
import yazl from 'yazl';
import { SCHEMA11_SQL } from '../legacy-schema.js';

export type AnkiFormat = 'anki2' | 'anki21' | 'anki21b';

export interface TestNoteType {
  id: number;
  name: string;
  cloze?: boolean;
  fields: string[];
  templates: { name: string; qfmt: string; afmt: string }[];
}

export interface TestDeck {
  id: number;
  /** "Parent::Child". */
  name: string;
  description?: string;
  configId?: number;
  filtered?: boolean;
}

export interface TestDeckConfig {
  id: number;
  learnSteps?: number[];
  relearnSteps?: number[];
  newPerDay?: number;
  reviewsPerDay?: number;
  maxInterval?: number;
  desiredRetention?: number;
  fsrsWeights?: number[];
}

export interface TestNote {
  id: number;
  guid: string;
  mid: number;
  tags?: string[];
  fields: string[];
}

export interface TestCard {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type?: number;
  queue?: number;
  due?: number;
  ivl?: number;
  factor?: number;
  reps?: number;
  lapses?: number;
  odue?: number;
  odid?: number;
  data?: string;
}

export interface TestReview {
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  factor?: number;
  time?: number;
  type: number;
}

export interface TestCollection {
  /** `col.crt`, epoch seconds. */
  createdAt: number;
  /** `col.ver`; 11 for the legacy formats and 18 for anki21b unless a test says otherwise. */
  schemaVersion?: number;
  noteTypes: TestNoteType[];
  decks: TestDeck[];
  deckConfigs: TestDeckConfig[];
  notes: TestNote[];
  cards: TestCard[];
  revlog: TestReview[];
  media: { name: string; bytes: Uint8Array }[];
  /** Tables to leave out, to test a damaged collection. */
  omitTables?: string[];
}

export const BASIC_TYPE: TestNoteType = {
  id: 1001,
  name: 'Basic',
  fields: ['Front', 'Back'],
  templates: [{ name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }],
};
export const REVERSED_TYPE: TestNoteType = {
  id: 1002,
  name: 'Basic (and reversed card)',
  fields: ['Front', 'Back'],
  templates: [
    { name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' },
    { name: 'Card 2', qfmt: '{{Back}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' },
  ],
};
export const CLOZE_TYPE: TestNoteType = {
  id: 1003,
  name: 'Cloze',
  cloze: true,
  fields: ['Text', 'Back Extra'],
  templates: [{ name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>\n{{Back Extra}}' }],
};

export interface PackageOptions {
  /** Changes the collection entry as stored (compressed for anki21b), to damage it. */
  storedCollection?: (stored: Uint8Array) => Uint8Array;
}

export async function writeTestPackage(
  path: string,
  collection: TestCollection,
  format: AnkiFormat,
  options: PackageOptions = {},
): Promise<void> {
  const stored = options.storedCollection ?? ((bytes: Uint8Array) => bytes);
  const zip = new yazl.ZipFile();
  if (format === 'anki21b') {
    const zstd = await Zstd.load();
    zip.addBuffer(Buffer.from(encode((w) => w.tag(1, WireType.Varint).uint32(3))), 'meta');
    zip.addBuffer(Buffer.from(stored(zstd.compress(schema18Collection(collection)))), 'collection.anki21b');
    zip.addBuffer(dummyCollection(), 'collection.anki2');
    const entries = encode((w) => {
      for (const file of collection.media) {
        w.tag(1, WireType.LengthDelimited).fork();
        w.tag(1, WireType.LengthDelimited).string(file.name);
        w.tag(2, WireType.Varint).uint32(file.bytes.length);
        w.tag(3, WireType.LengthDelimited).bytes(new Uint8Array(20));
        w.join();
      }
    });
    zip.addBuffer(Buffer.from(zstd.compress(entries)), 'media');
    collection.media.forEach((file, index) =>
      zip.addBuffer(Buffer.from(zstd.compress(file.bytes)), String(index), { compress: false }),
    );
  } else {
    zip.addBuffer(
      schema11Collection(collection),
      format === 'anki2' ? 'collection.anki2' : 'collection.anki21',
    );
    if (format === 'anki21') zip.addBuffer(dummyCollection(), 'collection.anki2');
    zip.addBuffer(
      Buffer.from(
        JSON.stringify(Object.fromEntries(collection.media.map((file, index) => [index, file.name]))),
      ),
      'media',
    );
    collection.media.forEach((file, index) => zip.addBuffer(Buffer.from(file.bytes), String(index)));
  }
  zip.end();
  await writeFile(path, await collect(zip.outputStream));
}

/** A zip with exactly these entries, for packages broken on purpose. */
export async function writeZip(path: string, entries: Record<string, Uint8Array | string>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await writeFile(path, await collect(zip.outputStream));
}

/** Rewrites the uncompressed size an entry declares (local header and central directory). */
export function declareEntrySize(zip: Buffer, entryName: string, size: number): Buffer {
  const patched = Buffer.from(zip);
  const name = Buffer.from(entryName);
  for (let offset = 0; offset < patched.length - 4; offset += 1) {
    const signature = patched.readUInt32LE(offset);
    if (signature === 0x04034b50 && patched.subarray(offset + 30, offset + 30 + name.length).equals(name)) {
      if (patched.readUInt16LE(offset + 26) === name.length) patched.writeUInt32LE(size, offset + 22);
    }
    if (signature === 0x02014b50 && patched.subarray(offset + 46, offset + 46 + name.length).equals(name)) {
      if (patched.readUInt16LE(offset + 28) === name.length) patched.writeUInt32LE(size, offset + 24);
    }
  }
  return patched;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function encode(write: (writer: BinaryWriter) => void): Uint8Array {
  const writer = new BinaryWriter();
  write(writer);
  return writer.finish();
}

function packedFloats(writer: BinaryWriter, fieldNo: number, values: number[] | undefined): void {
  if (!values?.length) return;
  writer.tag(fieldNo, WireType.LengthDelimited).fork();
  values.forEach((value) => writer.float(value));
  writer.join();
}

function insertRows(db: Database.Database, collection: TestCollection): void {
  const omitted = new Set(collection.omitTables ?? []);
  const insertNote = omitted.has('notes')
    ? null
    : db.prepare('INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, ?, 0, 0, ?)');
  const insertCard = omitted.has('cards')
    ? null
    : db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?)');
  const insertReview = omitted.has('revlog')
    ? null
    : db.prepare('INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, ?, ?, ?)');
  for (const note of collection.notes) {
    const tags = note.tags?.length ? ` ${note.tags.join(' ')} ` : '';
    insertNote?.run(note.id, note.guid, note.mid, tags, note.fields.join('\x1f'), note.fields[0] ?? '', '');
  }
  for (const card of collection.cards) {
    insertCard?.run(
      card.id,
      card.nid,
      card.did,
      card.ord,
      card.type ?? 0,
      card.queue ?? card.type ?? 0,
      card.due ?? 0,
      card.ivl ?? 0,
      card.factor ?? 0,
      card.reps ?? 0,
      card.lapses ?? 0,
      card.odue ?? 0,
      card.odid ?? 0,
      card.data ?? '',
    );
  }
  for (const review of collection.revlog) {
    insertReview?.run(
      review.id,
      review.cid,
      review.ease,
      review.ivl,
      review.factor ?? 0,
      review.time ?? 5000,
      review.type,
    );
  }
}

function createSchema11(db: Database.Database, collection: TestCollection): void {
  const omitted = new Set(collection.omitTables ?? []);
  for (const statement of SCHEMA11_SQL.split(';')) {
    const table = /CREATE TABLE (\w+)/.exec(statement)?.[1];
    const indexTable = /ON (\w+) \(/.exec(statement)?.[1];
    if (statement.trim() && !omitted.has(table ?? indexTable ?? '')) db.exec(statement);
  }
}

function schema11Collection(collection: TestCollection): Buffer {
  const db = new Database(':memory:');
  createSchema11(db, collection);
  const models = Object.fromEntries(
    collection.noteTypes.map((type) => [
      type.id,
      {
        id: type.id,
        name: type.name,
        type: type.cloze ? 1 : 0,
        flds: type.fields.map((name, ord) => ({ name, ord })),
        tmpls: type.templates.map((template, ord) => ({ ...template, ord })),
      },
    ]),
  );
  const decks = Object.fromEntries(
    collection.decks.map((deck) => [
      deck.id,
      {
        id: deck.id,
        name: deck.name,
        desc: deck.description ?? '',
        conf: deck.configId ?? 1,
        dyn: deck.filtered ? 1 : 0,
      },
    ]),
  );
  const dconf = Object.fromEntries(
    collection.deckConfigs.map((config) => [
      config.id,
      {
        id: config.id,
        new: { delays: config.learnSteps, perDay: config.newPerDay },
        rev: { perDay: config.reviewsPerDay, maxIvl: config.maxInterval },
        lapse: { delays: config.relearnSteps },
        desiredRetention: config.desiredRetention,
        fsrsParams6: config.fsrsWeights,
      },
    ]),
  );
  db.prepare("INSERT INTO col VALUES (1, ?, 0, 0, ?, 0, 0, 0, '{}', ?, ?, ?, '{}')").run(
    collection.createdAt,
    collection.schemaVersion ?? 11,
    JSON.stringify(models),
    JSON.stringify(decks),
    JSON.stringify(dconf),
  );
  insertRows(db, collection);
  return serializeAndClose(db);
}

/** Schema 18 as Anki's upgrade scripts leave it (schema 14, 15, 17 and 18 steps). */
const SCHEMA18_SQL = `
CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE NOCASE, mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL, val blob NOT NULL) without rowid;
CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE NOCASE, usn integer NOT NULL, collapsed boolean NOT NULL, config blob NULL) without rowid;
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE NOCASE, config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE NOCASE, mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE NOCASE, mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE NOCASE, mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
DROP TABLE graves;
CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL, PRIMARY KEY (oid, type)) WITHOUT ROWID;
`;

function schema18Collection(collection: TestCollection): Buffer {
  const db = new Database(':memory:');
  createSchema11(db, collection);
  db.exec(SCHEMA18_SQL);
  db.prepare("INSERT INTO col VALUES (1, ?, 0, 0, ?, 0, 0, 0, '', '', '', '', '')").run(
    collection.createdAt,
    collection.schemaVersion ?? 18,
  );
  for (const type of collection.noteTypes) {
    // Notetype.Config { kind = 1; sort_field_idx = 2; css = 3 }
    const config = encode((w) =>
      w
        .tag(1, WireType.Varint)
        .uint32(type.cloze ? 1 : 0)
        .tag(3, WireType.LengthDelimited)
        .string('.card {}'),
    );
    db.prepare('INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)').run(type.id, type.name, config);
    type.fields.forEach((name, ord) => {
      // Notetype.Field.Config { font_name = 3; font_size = 4 }
      const fieldConfig = encode((w) =>
        w.tag(3, WireType.LengthDelimited).string('Arial').tag(4, WireType.Varint).uint32(20),
      );
      db.prepare('INSERT INTO fields VALUES (?, ?, ?, ?)').run(type.id, ord, name, fieldConfig);
    });
    type.templates.forEach((template, ord) => {
      // Notetype.Template.Config { q_format = 1; a_format = 2 }
      const templateConfig = encode((w) =>
        w
          .tag(1, WireType.LengthDelimited)
          .string(template.qfmt)
          .tag(2, WireType.LengthDelimited)
          .string(template.afmt),
      );
      db.prepare('INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)').run(
        type.id,
        ord,
        template.name,
        templateConfig,
      );
    });
  }
  for (const deck of collection.decks) {
    // Deck.KindContainer { normal = 1 { config_id = 1; description = 4 } | filtered = 2 { reschedule = 1 } }
    const kind = encode((w) => {
      if (deck.filtered) w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).bool(true).join();
      else {
        w.tag(1, WireType.LengthDelimited)
          .fork()
          .tag(1, WireType.Varint)
          .int64(deck.configId ?? 1);
        if (deck.description) w.tag(4, WireType.LengthDelimited).string(deck.description);
        w.join();
      }
    });
    db.prepare("INSERT INTO decks VALUES (?, ?, 0, 0, x'', ?)").run(
      deck.id,
      deck.name.split('::').join('\x1f'),
      kind,
    );
  }
  for (const config of collection.deckConfigs) {
    // DeckConfig.Config, by field number
    const blob = encode((w) => {
      packedFloats(w, 1, config.learnSteps);
      packedFloats(w, 2, config.relearnSteps);
      packedFloats(w, 6, config.fsrsWeights);
      if (config.newPerDay !== undefined) w.tag(9, WireType.Varint).uint32(config.newPerDay);
      if (config.reviewsPerDay !== undefined) w.tag(10, WireType.Varint).uint32(config.reviewsPerDay);
      if (config.maxInterval !== undefined) w.tag(16, WireType.Varint).uint32(config.maxInterval);
      if (config.desiredRetention !== undefined) w.tag(37, WireType.Bit32).float(config.desiredRetention);
    });
    db.prepare('INSERT INTO deck_config VALUES (?, ?, 0, 0, ?)').run(config.id, `Preset ${config.id}`, blob);
  }
  insertRows(db, collection);
  // Anki declares its name columns with its own `unicase` collation, which only Anki registers;
  // created here as NOCASE, then renamed in the schema text exactly as Anki would have it.
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare("UPDATE sqlite_master SET sql = replace(sql, 'COLLATE NOCASE', 'COLLATE unicase')").run();
  db.pragma(`schema_version = ${(db.pragma('schema_version', { simple: true }) as number) + 1}`);
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
  return serializeAndClose(db);
}

/** What Anki puts in `collection.anki2` beside a newer collection: one note asking to update. */
function dummyCollection(): Buffer {
  return schema11Collection({
    createdAt: 0,
    noteTypes: [BASIC_TYPE],
    decks: [{ id: 1, name: 'Default' }],
    deckConfigs: [{ id: 1 }],
    notes: [
      { id: 1, guid: 'dummy', mid: BASIC_TYPE.id, fields: ['Please update to the latest Anki version', ''] },
    ],
    cards: [{ id: 1, nid: 1, did: 1, ord: 0 }],
    revlog: [],
    media: [],
  });
}

function serializeAndClose(db: Database.Database): Buffer {
  const bytes = db.serialize();
  db.close();
  return bytes;
}
