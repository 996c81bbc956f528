/**
 * A small but complete Anki collection: nested decks, deck options with FSRS weights, the three
 * stock note types, media, tags, a suspended card, a card in a filtered deck, and review histories
 * with learning, review and relearning steps, a reset, cramming, "set due date", a review dated in
 * the future, FSRS memory kept by Anki and an SM-2 card without its learning history. It also has
 * the bad notes a real collection can hold: an unclosed cloze and cards with nothing to ask.
 */
import { BASIC_TYPE, CLOZE_TYPE, REVERSED_TYPE, type TestCollection } from './anki-packages.js';

export const NOW = Date.UTC(2025, 2, 1, 12, 0);
/** Collection created 2024-01-01 at 04:00 UTC (Anki's day rollover), in epoch seconds. */
export const CREATED_AT = Date.UTC(2024, 0, 1, 4, 0) / 1000;
const DAY = 86_400_000;
const MINUTE = 60_000;
/** First review of the main card. */
export const T0 = Date.UTC(2025, 1, 1, 9, 0);

export const WEIGHTS = [
  0.3, 1.1, 2.9, 10.1, 6.5, 0.8, 3.0, 0.01, 1.9, 0.15, 0.8, 1.5, 0.07, 0.3, 1.7, 0.6, 1.9, 0.5, 0.1, 0.07,
  0.2,
];
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
export const MP3 = Buffer.from('fffb9064000000000000000000000000', 'hex');

/** Anki's day number for an epoch-ms time, counted from `CREATED_AT`. */
export const dueDay = (at: number) => Math.floor((at / 1000 - CREATED_AT) / 86_400);

export const MAIN_CARD_DUE_DAY = dueDay(T0 + 5 * DAY + 10 * MINUTE) + 2;
export const LEARNING_DUE_SECS = Math.floor((NOW + 30 * MINUTE) / 1000);

export function biologyCollection(): TestCollection {
  return {
    createdAt: CREATED_AT,
    noteTypes: [BASIC_TYPE, REVERSED_TYPE, CLOZE_TYPE],
    decks: [
      { id: 1, name: 'Default' },
      { id: 10, name: 'Biology' },
      { id: 11, name: 'Biology::Cells', description: 'Cell biology', configId: 2 },
      { id: 12, name: 'Filtered Deck 1', filtered: true },
    ],
    deckConfigs: [
      { id: 1 },
      {
        id: 2,
        learnSteps: [2, 15],
        relearnSteps: [5],
        newPerDay: 15,
        reviewsPerDay: 150,
        maxInterval: 3650,
        desiredRetention: 0.85,
        fsrsWeights: WEIGHTS,
      },
    ],
    notes: [
      {
        id: 101,
        guid: 'f!Guid1',
        mid: BASIC_TYPE.id,
        tags: ['biology', 'cells::organelles'],
        fields: [
          'What is the <b>powerhouse</b> of the cell?',
          'The mitochondria<br><img src="mito%20cell.png">',
        ],
      },
      { id: 102, guid: 'g2', mid: REVERSED_TYPE.id, fields: ['ATP', 'adenosine triphosphate'] },
      {
        id: 103,
        guid: 'g3',
        mid: CLOZE_TYPE.id,
        tags: ['biology'],
        fields: [
          'The {{c1::nucleus}} holds {{c2::DNA::molecule}} [sound:nucleus.mp3]',
          'Energy: \\(E=mc^2\\)',
        ],
      },
      { id: 104, guid: 'g4', mid: CLOZE_TYPE.id, fields: ['The {{c1::ribosome makes proteins', ''] },
      { id: 105, guid: 'g5', mid: BASIC_TYPE.id, fields: ['', 'an answer without a question'] },
      { id: 106, guid: 'g6', mid: BASIC_TYPE.id, fields: ['Which organelle makes ATP?', 'Mitochondria'] },
    ],
    cards: [
      {
        id: 201,
        nid: 101,
        did: 11,
        ord: 0,
        type: 2,
        queue: 2,
        due: MAIN_CARD_DUE_DAY,
        ivl: 2,
        factor: 2500,
        reps: 5,
        lapses: 1,
        data: '{"s":7.5,"d":5.2,"dr":0.9}',
      },
      { id: 202, nid: 102, did: 10, ord: 0, type: 0, queue: 0, due: 1 },
      { id: 203, nid: 102, did: 10, ord: 1, type: 2, queue: 2, due: dueDay(NOW) + 3, ivl: 12, factor: 2300 },
      { id: 204, nid: 103, did: 11, ord: 0, type: 1, queue: 1, due: LEARNING_DUE_SECS, ivl: 0 },
      { id: 205, nid: 103, did: 11, ord: 1, type: 0, queue: -1, due: 2 },
      { id: 206, nid: 103, did: 11, ord: 2, type: 0, queue: 0, due: 3 },
      { id: 207, nid: 104, did: 11, ord: 0, type: 0, queue: 0, due: 4 },
      { id: 208, nid: 105, did: 10, ord: 0, type: 0, queue: 0, due: 5 },
      // In a filtered deck: its own deck and due day wait in odid and odue.
      {
        id: 209,
        nid: 106,
        did: 12,
        ord: 0,
        type: 2,
        queue: 2,
        due: -100,
        odid: 11,
        odue: dueDay(NOW) + 5,
        ivl: 9,
        factor: 2500,
      },
    ],
    revlog: [
      // The main card: learned from new, reviewed, forgotten and relearned.
      { id: T0, cid: 201, ease: 3, ivl: -600, type: 0 },
      { id: T0 + 10 * MINUTE, cid: 201, ease: 3, ivl: 1, type: 0 },
      { id: T0 + DAY, cid: 201, ease: 3, ivl: 4, factor: 2500, type: 1 },
      { id: T0 + 2 * DAY, cid: 201, ease: 0, ivl: 0, factor: 0, type: 3 }, // cramming without rescheduling
      { id: T0 + 3 * DAY, cid: 201, ease: 0, ivl: 4, factor: 2500, type: 4 }, // "set due date"
      { id: T0 + 5 * DAY, cid: 201, ease: 1, ivl: -300, factor: 2300, type: 1 },
      { id: T0 + 5 * DAY + 10 * MINUTE, cid: 201, ease: 3, ivl: 2, factor: 2300, type: 2 },
      { id: NOW + 10 * DAY, cid: 201, ease: 3, ivl: 9, factor: 2300, type: 1 }, // from a device with a wrong clock
      // SM-2 card whose learning steps predate the log.
      { id: T0 + 3 * DAY + 60 * MINUTE, cid: 203, ease: 3, ivl: 5, factor: 2300, type: 1 },
      { id: T0 + 8 * DAY, cid: 203, ease: 3, ivl: 12, factor: 2300, type: 1 },
      // Reviewed, reset to new, then started again.
      { id: T0 - 20 * DAY, cid: 204, ease: 3, ivl: 3, factor: 2500, type: 1 },
      { id: T0 + 7 * MINUTE, cid: 204, ease: 0, ivl: 0, factor: 0, type: 4 },
      { id: NOW - 5 * MINUTE, cid: 204, ease: 1, ivl: -60, type: 0 },
    ],
    media: [
      { name: 'mito cell.png', bytes: PNG },
      { name: 'nucleus.mp3', bytes: MP3 },
    ],
  };
}
