import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsrsScheduler, NEW_CARD_MEMORY, type CardMemory } from '../scheduling/fsrs-scheduler.js';
import type { Rating, ReviewLogRow } from '../scheduling/review-log.js';
import { DEFAULT_SCHEDULING_OPTIONS, type SchedulingOptions } from '../scheduling/scheduling-options.js';
import { studyDayOf } from '../scheduling/study-day.js';
import type { ExportedCard, ExportedNote, StudyExport } from '../study-export.js';
import { PackageArchive } from './package-archive.js';
import { openAnkiPackage } from './read-anki-package.js';
import { writeAnkiCsv } from './write-anki-csv.js';
import { writeAnkiPackage } from './write-anki-package.js';

const NOW = Date.UTC(2025, 4, 20, 18, 0);
const DAY = 86_400_000;
const MINUTE = 60_000;
const FLASK = Buffer.from('89504e470d0a1a0a00000000flask', 'utf8');

const acidsOptions: SchedulingOptions = {
  ...DEFAULT_SCHEDULING_OPTIONS,
  desiredRetention: 0.87,
  learningSteps: ['3m', '20m'],
  relearningSteps: ['15m'],
  newCardsPerDay: 12,
  reviewsPerDay: 120,
  maximumIntervalDays: 1000,
  fuzz: false,
};

/** A card answered through our scheduler, so its memory and log are what the app stores. */
function studiedCard(id: string, deckId: string, ordinal: number, answers: [Rating, number][]): ExportedCard {
  const scheduler = new FsrsScheduler(acidsOptions);
  let memory: CardMemory = NEW_CARD_MEMORY;
  const log: ReviewLogRow[] = [];
  for (const [rating, at] of answers) {
    const answered = scheduler.answer(
      memory,
      rating,
      { cardId: id, now: at },
      { id: randomUUID(), durationMs: 3_500 },
    );
    log.push(answered.row);
    memory = answered.memory;
  }
  return { id, ordinal, deckId, suspended: false, memory, log };
}

function chemistry(): StudyExport {
  const start = NOW - 40 * DAY;
  const reviewed = studiedCard('c-ph', 'acids', 0, [
    [3, start],
    [3, start + 20 * MINUTE],
    [3, start + 2 * DAY],
    [1, start + 9 * DAY],
    [3, start + 9 * DAY + 15 * MINUTE],
    [4, start + 12 * DAY],
  ]);
  const learning = studiedCard('c-acid-back', 'acids', 1, [[1, NOW - 2 * MINUTE]]);
  const notes: ExportedNote[] = [
    {
      id: 'n-ph',
      guid: null,
      content: {
        kind: 'basic',
        front: 'What does **pH** measure?',
        back: 'Acidity: $pH = -\\log[H^+]$\n\n![](flask.png)',
      },
      tags: ['chemistry', 'acids::basics'],
      createdAt: start - DAY,
      updatedAt: start,
      cards: [reviewed],
    },
    {
      id: 'n-acid',
      guid: 'k#Y2@old',
      content: { kind: 'basic-reversed', front: 'HCl', back: 'hydrochloric acid' },
      tags: [],
      createdAt: start - DAY + 1,
      updatedAt: start,
      cards: [{ ...studiedCard('c-acid', 'acids', 0, []), suspended: true }, learning],
    },
    {
      id: 'n-cloze',
      guid: null,
      content: {
        kind: 'cloze',
        text: 'Water is {{c1::neutral}} at {{c2::pH 7::a number}}',
        extra: 'At 25 °C',
      },
      tags: ['chemistry'],
      createdAt: start - DAY + 2,
      updatedAt: start,
      cards: [
        studiedCard('c-cloze-1', 'chem', 0, [[3, start + 2 * MINUTE]]),
        studiedCard('c-cloze-2', 'chem', 1, [
          [3, start + MINUTE],
          [3, start + DAY],
        ]),
      ],
    },
  ];
  // A reset in the log of the second cloze card: replayed, it starts over.
  const resetCard = notes[2]!.cards[1]!;
  resetCard.log.push({ kind: 'reset', id: 'reset-1', cardId: resetCard.id, at: start + 3 * DAY });
  resetCard.memory = NEW_CARD_MEMORY;
  return {
    decks: [
      {
        id: 'chem',
        path: ['Chemistry'],
        description: 'General chemistry',
        options: DEFAULT_SCHEDULING_OPTIONS,
      },
      { id: 'acids', path: ['Chemistry', 'Acids'], description: 'Acids and bases', options: acidsOptions },
    ],
    notes,
    media: [
      {
        name: 'flask.png',
        async *read() {
          yield FLASK;
        },
      },
    ],
  };
}

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'lm-anki-export-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function exportChemistry() {
  const path = join(folder, 'chemistry.apkg');
  const data = chemistry();
  const summary = await writeAnkiPackage(path, data, { now: NOW });
  return { path, data, summary };
}

describe('exporting to an Anki package', () => {
  it('round-trips through the importer: notes, decks, options, tags, schedules, history and media', async () => {
    const { path, data, summary } = await exportChemistry();
    expect(summary).toEqual({ notes: 3, cards: 5, reviews: 11, media: 1 });
    expect(readdirSync(folder)).toEqual(['chemistry.apkg']);

    const pkg = await openAnkiPackage(path);
    try {
      const contents = pkg.read({ now: NOW });
      expect(contents.warnings).toEqual([]);
      expect(contents.notes.map((note) => [note.content, note.tags])).toEqual(
        data.notes.map((note) => [note.content, note.tags]),
      );
      expect(contents.notes[1]!.guid).toBe('k#Y2@old');
      const decks = new Map(contents.decks.map((deck) => [deck.sourceId, deck]));
      const acids = contents.decks.find((deck) => deck.path.join('::') === 'Chemistry::Acids')!;
      expect(acids).toMatchObject({
        description: 'Acids and bases',
        options: {
          desiredRetention: 0.87,
          learningSteps: ['3m', '20m'],
          relearningSteps: ['15m'],
          newCardsPerDay: 12,
          reviewsPerDay: 120,
          maximumIntervalDays: 1000,
          weights: [...acidsOptions.weights],
        },
      });

      const exported = data.notes.flatMap((note) => note.cards);
      const imported = contents.notes.flatMap((note) => note.cards);
      expect(
        imported.map((card) => [card.ordinal, decks.get(card.deckSourceId)!.path.join('::'), card.suspended]),
      ).toEqual(
        exported.map((card) => [
          card.ordinal,
          card.deckId === 'acids' ? 'Chemistry::Acids' : 'Chemistry',
          card.suspended,
        ]),
      );
      const scheduler = new FsrsScheduler(acidsOptions);
      imported.forEach((card, index) => {
        const original = exported[index]!;
        // Every answer and reset comes back as it was written.
        const answers = <T extends { kind: string }>(rows: readonly T[]) =>
          rows.filter((row) => row.kind !== 'schedule');
        expect(answers(card.log)).toEqual(
          answers(original.log).map(({ id: _id, cardId: _cardId, ...row }) => row),
        );
        // And the card comes back in the same state, due the same day.
        const memory = scheduler.replay(
          card.log.map((row, i) => ({ ...row, id: `r${i}`, cardId: card.sourceId }) as ReviewLogRow),
        );
        expect(memory.state).toBe(original.memory.state);
        if (original.memory.state === 'new') return;
        expect(studyDayOf(memory.due)).toBe(studyDayOf(original.memory.due));
        expect(memory.stability).toBeCloseTo(original.memory.stability, 3);
        expect(memory.difficulty).toBeCloseTo(original.memory.difficulty, 3);
      });
      const flask: Uint8Array[] = [];
      for await (const chunk of pkg.media[0]!.read()) flask.push(chunk);
      expect(pkg.media.map((file) => file.name)).toEqual(['flask.png']);
      expect(Buffer.concat(flask)).toEqual(FLASK);
    } finally {
      pkg.close();
    }
  });

  it('writes the schema facts Anki relies on', async () => {
    const { path } = await exportChemistry();
    const archive = await PackageArchive.open(path);
    const collection = await archive.read('collection.anki2', 64 * 1024 * 1024, 'the collection');
    expect(JSON.parse((await archive.read('media', 1024, 'the media list')).toString())).toEqual({
      0: 'flask.png',
    });
    expect(await archive.read('0', 1024, 'a media file')).toEqual(FLASK);
    archive.close();
    const db = new Database(collection, { readonly: true });
    try {
      const indexes = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .all()
        .map((row) => row.name);
      expect(indexes).toEqual([
        'ix_cards_nid',
        'ix_cards_sched',
        'ix_cards_usn',
        'ix_notes_csum',
        'ix_notes_usn',
        'ix_revlog_cid',
        'ix_revlog_usn',
      ]);
      const col = db.prepare<[], Record<string, string | number>>('SELECT * FROM col').get()!;
      expect(col['ver']).toBe(11);

      const models = Object.values(
        JSON.parse(col['models'] as string) as Record<string, Record<string, unknown>>,
      );
      expect(models.map((model) => [model['name'], model['type']])).toEqual([
        ['Basic', 0],
        ['Basic (and reversed card)', 0],
        ['Cloze', 1],
      ]);
      for (const model of models) {
        expect(Object.keys(model)).toEqual(
          expect.arrayContaining([
            'id',
            'name',
            'type',
            'mod',
            'usn',
            'sortf',
            'did',
            'tags',
            'vers',
            'css',
            'flds',
            'tmpls',
            'req',
            'latexPre',
            'latexPost',
          ]),
        );
        for (const field of model['flds'] as object[]) {
          expect(Object.keys(field)).toEqual(
            expect.arrayContaining(['name', 'ord', 'font', 'size', 'rtl', 'sticky', 'media']),
          );
        }
        for (const template of model['tmpls'] as object[]) {
          expect(Object.keys(template)).toEqual(
            expect.arrayContaining(['name', 'ord', 'qfmt', 'afmt', 'bqfmt', 'bafmt', 'did']),
          );
        }
      }
      const decks = JSON.parse(col['decks'] as string) as Record<string, Record<string, unknown>>;
      expect(decks['1']).toMatchObject({ id: 1, name: 'Default', conf: 1, dyn: 0 });
      expect(Object.values(decks).map((deck) => deck['name'])).toEqual([
        'Default',
        'Chemistry',
        'Chemistry::Acids',
      ]);
      for (const deck of Object.values(decks)) {
        expect(Object.keys(deck)).toEqual(
          expect.arrayContaining([
            'id',
            'name',
            'conf',
            'desc',
            'dyn',
            'collapsed',
            'extendNew',
            'extendRev',
            'usn',
            'mod',
            'newToday',
            'revToday',
            'lrnToday',
            'timeToday',
          ]),
        );
      }
      const dconf = JSON.parse(col['dconf'] as string) as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      expect(Object.keys(dconf['1']!['new']!)).toEqual(
        expect.arrayContaining(['delays', 'ints', 'initialFactor', 'perDay', 'order', 'bury']),
      );
      expect(Object.keys(dconf['1']!['rev']!)).toEqual(
        expect.arrayContaining(['perDay', 'ease4', 'ivlFct', 'maxIvl']),
      );
      expect(Object.keys(dconf['1']!['lapse']!)).toEqual(
        expect.arrayContaining(['delays', 'mult', 'minInt', 'leechFails', 'leechAction']),
      );

      const notes = db
        .prepare<[], { guid: string; flds: string; sfld: string; csum: number; usn: number; tags: string }>(
          'SELECT * FROM notes ORDER BY id',
        )
        .all();
      expect(notes.map((note) => note.flds.split('\x1f'))).toEqual([
        [
          'What does <strong>pH</strong> measure?',
          '<p>Acidity: \\(pH = -\\log[H^+]\\)</p>\n<p><img src="flask.png" alt=""></p>',
        ],
        ['HCl', 'hydrochloric acid'],
        ['Water is {{c1::neutral}} at {{c2::pH 7::a number}}', 'At 25 °C'],
      ]);
      const sha1Prefix = (text: string) =>
        Number.parseInt(createHash('sha1').update(text).digest('hex').slice(0, 8), 16);
      expect(notes.map((note) => [note.sfld, note.csum])).toEqual([
        ['What does pH measure?', sha1Prefix('What does pH measure?')],
        ['HCl', sha1Prefix('HCl')],
        [
          'Water is {{c1::neutral}} at {{c2::pH 7::a number}}',
          sha1Prefix('Water is {{c1::neutral}} at {{c2::pH 7::a number}}'),
        ],
      ]);
      expect(notes.map((note) => note.tags)).toEqual([' chemistry acids::basics ', '', ' chemistry ']);
      expect(notes.every((note) => note.usn === -1)).toBe(true);
      expect(notes[1]!.guid).toBe('k#Y2@old');
      for (const note of [notes[0]!, notes[2]!]) {
        expect(note.guid).toMatch(/^[a-zA-Z0-9!#$%&()*+,\-./:;<=>?@[\]^_`{|}~]{1,11}$/);
      }
      expect(notes[0]!.guid).not.toBe(notes[2]!.guid);

      const cards = db.prepare<[], Record<string, number | string>>('SELECT * FROM cards ORDER BY id').all();
      const collectionStart = col['crt'] as number;
      const reviewCard = cards.find((card) => card['type'] === 2)!;
      expect(reviewCard).toMatchObject({ queue: 2, ord: 0, usn: -1 });
      expect(reviewCard['due']).toBe(
        Math.floor((chemistry().notes[0]!.cards[0]!.memory.due / 1000 - collectionStart) / 86_400),
      );
      expect(JSON.parse(reviewCard['data'] as string)).toMatchObject({
        s: expect.any(Number),
        d: expect.any(Number),
        dr: 0.87,
      });
      expect(cards.filter((card) => card['queue'] === -1)).toHaveLength(1);
      expect(cards.filter((card) => card['type'] === 1).map((card) => card['queue'])).toEqual([1, 1]);

      const revlog = db
        .prepare<[], { ease: number; ivl: number; type: number }>(
          'SELECT ease, ivl, type FROM revlog ORDER BY id',
        )
        .all();
      expect(revlog).toHaveLength(11);
      // Learning steps are negative seconds, reviews days; a reset is a manual entry without ease.
      expect(revlog.filter((row) => row.type === 4)).toEqual([{ ease: 0, ivl: 0, type: 4 }]);
      expect(revlog.filter((row) => row.type === 0 && row.ivl < 0).length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('writes nothing when it fails part-way', async () => {
    const data = chemistry();
    data.media = [
      {
        name: 'broken.png',
        async *read() {
          yield Buffer.from('half');
          throw new Error('the disk went away');
        },
      },
    ];
    await expect(writeAnkiPackage(join(folder, 'broken.apkg'), data, { now: NOW })).rejects.toThrow(
      'the disk went away',
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('exporting to CSV', () => {
  it("writes Anki's CSV headers and one row per note with HTML fields", () => {
    const csv = writeAnkiCsv(chemistry());
    const lines = csv.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '#separator:comma',
      '#html:true',
      '#columns:Note type,Deck,Field 1,Field 2,Tags',
      '#notetype column:1',
      '#deck column:2',
      '#tags column:5',
    ]);
    expect(parse(csv, { comment: '#' })).toEqual([
      [
        'Basic',
        'Chemistry::Acids',
        'What does <strong>pH</strong> measure?',
        '<p>Acidity: \\(pH = -\\log[H^+]\\)</p>\n<p><img src="flask.png" alt=""></p>',
        'chemistry acids::basics',
      ],
      ['Basic (and reversed card)', 'Chemistry::Acids', 'HCl', 'hydrochloric acid', ''],
      ['Cloze', 'Chemistry', 'Water is {{c1::neutral}} at {{c2::pH 7::a number}}', 'At 25 °C', 'chemistry'],
    ]);
  });
});

describe('image occlusion notes', () => {
  it("go out as Anki's own image occlusion note type and come back with their masks", async () => {
    const masks = [
      { group: 1, x: 0.1, y: 0.2, width: 0.3, height: 0.1 },
      { group: 2, x: 0.5, y: 0.25, width: 0.2, height: 0.15 },
      { group: 2, x: 0.05, y: 0.7, width: 0.1, height: 0.1 },
    ];
    const card = (ordinal: number): ExportedCard => ({
      id: `io-${ordinal}`,
      ordinal,
      deckId: 'anatomy',
      suspended: false,
      memory: NEW_CARD_MEMORY,
      log: [],
    });
    const data: StudyExport = {
      decks: [{ id: 'anatomy', path: ['Anatomy'], description: '', options: DEFAULT_SCHEDULING_OPTIONS }],
      notes: [
        {
          id: 'io',
          guid: null,
          content: {
            kind: 'image-occlusion',
            image: 'heart.png',
            masks,
            header: 'Chambers of the **heart**',
            back: 'Left and right',
          },
          tags: ['anatomy'],
          createdAt: NOW - DAY,
          updatedAt: NOW - DAY,
          cards: [card(0), card(1)],
        },
      ],
      media: [
        {
          name: 'heart.png',
          read: async function* () {
            yield FLASK;
          },
        },
      ],
    };
    const path = join(folder, 'anatomy.apkg');
    await writeAnkiPackage(path, data, { now: NOW });

    const archive = await PackageArchive.open(path);
    const db = new Database(await archive.read('collection.anki2', 1 << 24, 'the collection'), {
      readonly: true,
    });
    archive.close();
    try {
      const models = JSON.parse(
        db.prepare<[], { models: string }>('SELECT models FROM col').get()!.models,
      ) as Record<string, Record<string, unknown>>;
      const occlusion = Object.values(models).find((model) => model['name'] === 'Image Occlusion')!;
      expect(occlusion).toMatchObject({ type: 1, originalStockKind: 6 });
      expect(
        (occlusion['flds'] as { name: string; tag: number }[]).map((field) => [field.name, field.tag]),
      ).toEqual([
        ['Occlusion', 0],
        ['Image', 1],
        ['Header', 2],
        ['Back Extra', 3],
        ['Comments', 4],
      ]);
      const [fields] = db
        .prepare<[], { flds: string }>('SELECT flds FROM notes')
        .all()
        .map((note) => note.flds.split('\x1f'));
      expect(fields).toEqual([
        '{{c1::image-occlusion:rect:left=0.1:top=0.2:width=0.3:height=0.1:oi=1}}<br>{{c2::image-occlusion:rect:left=0.5:top=0.25:width=0.2:height=0.15:oi=1}}<br>{{c2::image-occlusion:rect:left=0.05:top=0.7:width=0.1:height=0.1:oi=1}}',
        '<img src="heart.png">',
        'Chambers of the <strong>heart</strong>',
        'Left and right',
        '',
      ]);
    } finally {
      db.close();
    }

    const pkg = await openAnkiPackage(path);
    const contents = pkg.read({ now: NOW });
    pkg.close();
    expect(contents.warnings).toEqual([]);
    expect(contents.notes.map((note) => note.content)).toEqual([data.notes[0]!.content]);
    expect(contents.notes[0]!.cards.map((imported) => imported.ordinal)).toEqual([0, 1]);
  });
});
