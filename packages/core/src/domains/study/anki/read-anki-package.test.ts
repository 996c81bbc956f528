import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FSRSBinding } from '@open-spaced-repetition/binding';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsrsScheduler } from '../scheduling/fsrs-scheduler.js';
import type { ReviewLogRow } from '../scheduling/review-log.js';
import { DEFAULT_SCHEDULING_OPTIONS } from '../scheduling/scheduling-options.js';
import type { ImportedCard, StudyImport } from '../study-import.js';
import { SCHEMA11_SQL } from './legacy-schema.js';
import { openAnkiPackage } from './read-anki-package.js';
import {
  BASIC_TYPE,
  declareEntrySize,
  writeTestPackage,
  writeZip,
  type AnkiFormat,
  type TestCollection,
} from './test-support/anki-packages.js';
import {
  biologyCollection,
  CREATED_AT,
  LEARNING_DUE_SECS,
  MAIN_CARD_DUE_DAY,
  MP3,
  NOW,
  PNG,
  T0,
  WEIGHTS,
} from './test-support/biology-collection.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'lm-anki-import-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function importPackage(collection: TestCollection, format: AnkiFormat, name = `deck-${format}.apkg`) {
  const path = join(folder, name);
  await writeTestPackage(path, collection, format);
  return openAnkiPackage(path);
}

async function contentsOf(collection: TestCollection, format: AnkiFormat) {
  const pkg = await importPackage(collection, format);
  try {
    const media = await Promise.all(
      pkg.media.map(async (file) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of file.read()) chunks.push(chunk);
        return [file.name, Buffer.concat(chunks)] as const;
      }),
    );
    return { ...pkg.read({ now: NOW }), media: Object.fromEntries(media) };
  } finally {
    pkg.close();
  }
}

function cardOf(contents: Pick<StudyImport, 'notes'>, sourceId: string): ImportedCard {
  const card = contents.notes
    .flatMap((note) => note.cards)
    .find((candidate) => candidate.sourceId === sourceId);
  if (!card) throw new Error(`no card ${sourceId}`);
  return card;
}

/** The imported log as our review log, replayed by the scheduler the deck will use. */
function replay(card: ImportedCard) {
  const rows = card.log.map(
    (row, index) => ({ ...row, id: `r${index}`, cardId: card.sourceId }) as ReviewLogRow,
  );
  return new FsrsScheduler({ ...DEFAULT_SCHEDULING_OPTIONS, weights: WEIGHTS }).replay(rows);
}

async function expectRefused(path: string, message: string | RegExp) {
  await expect(openAnkiPackage(path)).rejects.toMatchObject({
    code: 'INVALID_INPUT',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
  // Reading never writes: the folder holds only what the test put there.
  expect(readdirSync(folder)).toEqual([path.split('/').pop()]);
}

describe('reading Anki packages', () => {
  it('reads an anki2 package: decks, options, the three note types, tags, media and warnings', async () => {
    const contents = await contentsOf(biologyCollection(), 'anki2');
    expect(contents.format).toBe('anki2');
    expect(contents.decks).toEqual([
      {
        sourceId: '11',
        path: ['Biology', 'Cells'],
        description: 'Cell biology',
        options: {
          learningSteps: ['2m', '15m'],
          relearningSteps: ['5m'],
          newCardsPerDay: 15,
          reviewsPerDay: 150,
          maximumIntervalDays: 3650,
          desiredRetention: 0.85,
          weights: WEIGHTS,
        },
      },
      { sourceId: '10', path: ['Biology'], description: '', options: {} },
    ]);
    expect(contents.notes.map((note) => [note.sourceId, note.content, note.tags])).toEqual([
      [
        '101',
        {
          kind: 'basic',
          front: 'What is the **powerhouse** of the cell?',
          back: 'The mitochondria\\\n![](<mito cell.png>)',
        },
        ['biology', 'cells::organelles'],
      ],
      ['102', { kind: 'basic-reversed', front: 'ATP', back: 'adenosine triphosphate' }, []],
      [
        '103',
        {
          kind: 'cloze',
          text: 'The {{c1::nucleus}} holds {{c2::DNA::molecule}} [▶ nucleus.mp3](nucleus.mp3)',
          extra: 'Energy: $E=mc^2$',
        },
        ['biology'],
      ],
      ['106', { kind: 'basic', front: 'Which organelle makes ATP?', back: 'Mitochondria' }, []],
    ]);
    const cards = contents.notes.flatMap((note) =>
      note.cards.map((card) => [card.sourceId, card.ordinal, card.deckSourceId, card.suspended]),
    );
    expect(cards).toEqual([
      ['201', 0, '11', false],
      ['202', 0, '10', false],
      ['203', 1, '10', false],
      ['204', 0, '11', false],
      ['205', 1, '11', true],
      // taken out of its filtered deck, back into its own
      ['209', 0, '11', false],
    ]);
    expect(contents.media).toEqual({ 'mito cell.png': PNG, 'nucleus.mp3': MP3 });
    expect(contents.warnings).toEqual([
      {
        kind: 'unbalanced-cloze',
        message:
          '1 cloze note was not imported because a deletion is never closed. The cloze "{{c1::ribosome makes proteins" is never closed: add "}}" where its answer ends.',
      },
      {
        kind: 'empty-card',
        message:
          '2 cards with nothing to ask were left out (empty fields, or a cloze number the text no longer has).',
      },
      {
        kind: 'future-reviews',
        message:
          "1 review in this package is dated in the future, so the device that made it had a wrong clock; it was left out of the cards' history.",
      },
    ]);
  });

  it('reads the same collection identically from anki21 and from the zstd anki21b format (schema 18, unicase tables)', async () => {
    const legacy = await contentsOf(biologyCollection(), 'anki2');
    for (const format of ['anki21', 'anki21b'] as const) {
      const contents = await contentsOf(biologyCollection(), format);
      expect(contents).toEqual({ ...legacy, format });
    }
  });

  it('reads a .colpkg collection package the same way', async () => {
    const pkg = await importPackage(biologyCollection(), 'anki21b', 'collection.colpkg');
    const { notes } = pkg.read({ now: NOW });
    pkg.close();
    expect(notes).toHaveLength(4);
  });

  it('maps the review history to the log so the FSRS state carries over', async () => {
    const contents = await contentsOf(biologyCollection(), 'anki2');

    // Learned, reviewed and relearned in Anki, with FSRS memory kept in cards.data.
    const main = cardOf(contents, '201');
    expect(main.log.map((row) => [row.kind, row.at, 'rating' in row ? row.rating : null])).toEqual([
      ['answer', T0, 3],
      ['answer', T0 + 10 * MINUTE, 3],
      ['answer', T0 + DAY, 3],
      // cramming and "set due date" do not count; the review dated in the future is left out
      ['answer', T0 + 5 * DAY, 1],
      ['answer', T0 + 5 * DAY + 10 * MINUTE, 3],
      ['schedule', T0 + 5 * DAY + 10 * MINUTE + 1, null],
    ]);
    expect(main.log[0]).toMatchObject({
      stateBefore: 'new',
      scheduledDays: 0,
      due: T0 + 10 * MINUTE,
      durationMs: 5000,
    });
    expect(main.log[4]).toMatchObject({ stateBefore: 'relearning', scheduledDays: 2 });
    expect(replay(main)).toMatchObject({
      state: 'review',
      due: (CREATED_AT + MAIN_CARD_DUE_DAY * 86_400) * 1000,
      stability: 7.5,
      difficulty: 5.2,
      lastReviewAt: T0 + 5 * DAY + 10 * MINUTE + 1,
      lapses: 1,
    });

    // An SM-2 card whose learning steps are not in the log: memory from its ease and interval.
    const sm2 = replay(cardOf(contents, '203'));
    const expected = new FSRSBinding().memoryStateFromSM2(2.3, 12, 0.9);
    expect(sm2.state).toBe('review');
    expect(sm2.stability).toBeCloseTo(expected.stability, 6);
    expect(sm2.difficulty).toBeCloseTo(expected.difficulty, 6);

    // Reset to new in Anki, then started again: only what came after the reset counts.
    const restarted = cardOf(contents, '204');
    expect(restarted.log.map((row) => row.kind)).toEqual(['answer', 'reset', 'answer', 'schedule']);
    expect(replay(restarted)).toMatchObject({ state: 'learning', lapses: 0, due: LEARNING_DUE_SECS * 1000 });

    // A new card has no history at all.
    expect(cardOf(contents, '202').log).toEqual([]);
    expect(replay(cardOf(contents, '202')).state).toBe('new');
  });

  it('keeps the carried-over state next to what the log replays to for cards learned here from new', async () => {
    const collection = biologyCollection();
    // Without Anki's FSRS memory the card's memory is the replay of its answers.
    collection.cards[0]!.data = '';
    const contents = await contentsOf(collection, 'anki2');
    const main = cardOf(contents, '201');
    expect(main.log.at(-1)).toMatchObject({ kind: 'schedule', stability: null, difficulty: null });
    const answersOnly = { ...main, log: main.log.filter((row) => row.kind === 'answer') };
    const replayed = replay(main);
    expect(replayed.stability).toBe(replay(answersOnly).stability);
    expect(replayed.due).toBe((CREATED_AT + MAIN_CARD_DUE_DAY * 86_400) * 1000);
  });
});

describe('refusing bad Anki packages with a clear message', () => {
  it('refuses a file that is not a zip', async () => {
    const path = join(folder, 'notes.apkg');
    writeFileSync(path, 'These are my notes, not an Anki deck.');
    await expectRefused(
      path,
      'This file is not an Anki package: .apkg and .colpkg files are zip archives, and this one is not. Export the deck from Anki again ("Anki Deck Package").',
    );
  });

  it('refuses a zip without a collection', async () => {
    const path = join(folder, 'photos.apkg');
    await writeZip(path, { 'photo.jpg': 'jpeg bytes', media: '{}' });
    await expectRefused(path, /^This zip file has no Anki collection in it/);
  });

  it('refuses a collection that is not a database', async () => {
    const path = join(folder, 'broken.apkg');
    await writeZip(path, { 'collection.anki2': 'SQLite format 3\0 but then nothing' });
    await expectRefused(path, /^The collection in this package is damaged \(it is not/);
  });

  it('refuses an unknown schema version', async () => {
    const path = join(folder, 'future.apkg');
    await writeTestPackage(path, { ...biologyCollection(), schemaVersion: 25 }, 'anki2');
    await expectRefused(
      path,
      'The collection in this package uses Anki schema version 25, which this app cannot read (it reads versions 11 and 15 to 18). In Anki, export again with "Support older Anki versions" ticked.',
    );
  });

  it('refuses a package made by a newer Anki', async () => {
    const path = join(folder, 'newer.apkg');
    await writeZip(path, { meta: Buffer.from([0x08, 0x04]), 'collection.anki21b': 'x' });
    await expectRefused(path, /^This package was made by a newer version of Anki/);
  });

  it('refuses a collection with missing tables', async () => {
    const path = join(folder, 'partial.apkg');
    await writeTestPackage(path, { ...biologyCollection(), omitTables: ['cards', 'revlog'] }, 'anki2');
    await expectRefused(
      path,
      'The collection in this package has no "cards", "revlog" table, so it is not a complete Anki collection. Export the deck from Anki again.',
    );
  });

  it('refuses a collection whose tables lack columns', async () => {
    const path = join(folder, 'odd.apkg');
    await writeZip(path, { 'collection.anki2': oddCollection() });
    await expectRefused(
      path,
      'The collection in this package is damaged (its "cards" table has no "odue" column). Export the deck from Anki again.',
    );
  });

  it('refuses a zstd collection that is cut short', async () => {
    const path = join(folder, 'truncated.apkg');
    await writeTestPackage(path, biologyCollection(), 'anki21b', {
      storedCollection: (compressed) => compressed.subarray(0, Math.floor(compressed.length / 2)),
    });
    await expectRefused(
      path,
      'The collection in this package is cut short: its compressed data ends early. The file was probably not copied or downloaded completely; export it from Anki again.',
    );
  });

  for (const format of ['anki2', 'anki21b'] as const) {
    it(`refuses media names that point into other folders (${format})`, async () => {
      const path = join(folder, 'escape.apkg');
      const collection = biologyCollection();
      collection.media = [{ name: '../../.bashrc', bytes: Buffer.from('echo owned') }];
      await writeTestPackage(path, collection, format);
      await expectRefused(
        path,
        'This package names a media file "../../.bashrc", which is not a plain file name (it points into other folders). Such a package may have been made to write outside its folder, so nothing was imported.',
      );
    });
  }

  it('refuses a 2 GB media entry before inflating it', async () => {
    const honest = join(folder, 'honest.apkg');
    const collection = biologyCollection();
    collection.media = [{ name: 'lecture.mp4', bytes: Buffer.alloc(64 * 1024) }];
    await writeTestPackage(honest, collection, 'anki2');
    const path = join(folder, 'bomb.apkg');
    writeFileSync(path, declareEntrySize(readFileSync(honest), '0', 2 * 1024 ** 3));
    rmSync(honest);
    // The reader checks every media file before returning anything.
    await expectRefused(
      path,
      'The media file "lecture.mp4" in this package is 2.0 GB, which is over the 100 MB limit, so nothing was imported. The package may be damaged or made to fill the disk.',
    );
  });

  it('stops a media entry that inflates past the size its header declares', async () => {
    const honest = join(folder, 'honest.apkg');
    const collection = biologyCollection();
    collection.media = [{ name: 'scan.png', bytes: Buffer.alloc(256 * 1024, 7) }];
    await writeTestPackage(honest, collection, 'anki2');
    const path = join(folder, 'liar.apkg');
    writeFileSync(path, declareEntrySize(readFileSync(honest), '0', 1024));
    rmSync(honest);
    const pkg = await openAnkiPackage(path);
    try {
      const read = async () => {
        for await (const _ of pkg.media[0]!.read()) void _;
      };
      await expect(read()).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(
          /^The media file "scan.png" in this package inflates to more than its header says/,
        ),
      });
    } finally {
      pkg.close();
    }
  });

  it('imports the rest of a deck and says which notes it left out', async () => {
    const collection: TestCollection = {
      ...biologyCollection(),
      notes: [
        { id: 1, guid: 'a', mid: BASIC_TYPE.id, fields: ['  ', '<br>'] },
        { id: 2, guid: 'b', mid: BASIC_TYPE.id, fields: ['Kept', 'yes'] },
      ],
      cards: [
        { id: 11, nid: 1, did: 10, ord: 0 },
        { id: 12, nid: 2, did: 10, ord: 0 },
      ],
      revlog: [],
    };
    const contents = await contentsOf(collection, 'anki21b');
    expect(contents.notes.map((note) => note.content)).toEqual([
      { kind: 'basic', front: 'Kept', back: 'yes' },
    ]);
    expect(contents.warnings.map((warning) => warning.kind)).toEqual(['empty-card']);
  });
});

describe("reading Anki's image occlusion notes", () => {
  const IO_TYPE = {
    id: 1004,
    name: 'Image Occlusion',
    cloze: true,
    fields: ['Occlusion', 'Image', 'Header', 'Back Extra', 'Comments'],
    templates: [
      {
        name: 'Image Occlusion',
        qfmt: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n<div style="display: none">{{cloze:Occlusion}}</div>\n<div id="image-occlusion-container">{{Image}}<canvas id="image-occlusion-canvas"></canvas></div>',
        afmt: '{{#Header}}<div>{{Header}}</div>{{/Header}}\n<div style="display: none">{{cloze:Occlusion}}</div>\n{{Image}}\n{{#Back Extra}}<div>{{Back Extra}}</div>{{/Back Extra}}',
      },
    ],
  };

  it('keeps their masks (ellipses and polygons as boxes) and skips shapes measured in pixels', async () => {
    const collection: TestCollection = {
      ...biologyCollection(),
      noteTypes: [IO_TYPE],
      notes: [
        {
          id: 1,
          guid: 'io1',
          mid: IO_TYPE.id,
          fields: [
            '{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.1:oi=1}}<br>{{c2,3::image-occlusion:ellipse:left=.5:top=.5:rx=.1:ry=.05:oi=1}}<br>{{c3::image-occlusion:polygon:points=.1,.8 .3,.9 .2,.95:oi=1}}',
            '<img src="mito cell.png">',
            'Parts of a <b>cell</b>',
            'See chapter 2',
            'my own comment',
          ],
        },
        {
          id: 2,
          guid: 'io2',
          mid: IO_TYPE.id,
          fields: [
            '{{c1::image-occlusion:rect:left=10:top=20:width=30:height=10}}',
            '<img src="mito cell.png">',
            '',
            '',
            '',
          ],
        },
      ],
      cards: [
        { id: 11, nid: 1, did: 10, ord: 0 },
        { id: 12, nid: 1, did: 10, ord: 1 },
        { id: 13, nid: 1, did: 10, ord: 2 },
        { id: 21, nid: 2, did: 10, ord: 0 },
      ],
      revlog: [],
    };
    const contents = await contentsOf(collection, 'anki21b');
    expect(contents.notes.map((note) => note.content)).toEqual([
      {
        kind: 'image-occlusion',
        image: 'mito cell.png',
        masks: [
          { group: 1, x: 0.1, y: 0.2, width: 0.3, height: 0.1 },
          { group: 2, x: 0.5, y: 0.5, width: 0.2, height: 0.1 },
          { group: 3, x: 0.5, y: 0.5, width: 0.2, height: 0.1 },
          { group: 3, x: 0.1, y: 0.8, width: expect.closeTo(0.2, 10), height: expect.closeTo(0.15, 10) },
        ],
        header: 'Parts of a **cell**',
        back: 'See chapter 2',
      },
    ]);
    expect(contents.notes[0]!.cards.map((card) => card.ordinal)).toEqual([0, 1, 2]);
    expect(contents.warnings).toEqual([
      {
        kind: 'unsupported-note-type',
        message:
          '1 note of the type "Image Occlusion (shapes in pixels)" was not imported: this app cannot show that kind of note yet.',
      },
    ]);
  });
});

/** A schema-11 collection whose cards table is missing columns. */
function oddCollection(): Buffer {
  const db = new Database(':memory:');
  db.exec(SCHEMA11_SQL.replace('odue integer NOT NULL, ', ''));
  db.prepare("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}', '{}', '{}', '{}')").run();
  const bytes = db.serialize();
  db.close();
  return bytes;
}
