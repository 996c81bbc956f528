import { z } from 'zod';
import { JobSchema } from './jobs.js';
import { ImportSourceSchema } from './library.js';

const text = (max: number) => z.string().max(max);

/** A rectangle over the image, in fractions of its width and height; masks of one group hide together. */
export const OcclusionMaskSchema = z.object({
  group: z.number().int().min(1).max(500),
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  width: z.number().min(0).max(1),
  height: z.number().min(0).max(1),
});
export type OcclusionMask = z.infer<typeof OcclusionMaskSchema>;

/** What a note holds (fields are Markdown with KaTeX math); it makes one card or more. */
export const NoteContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('basic'), front: text(100_000), back: text(100_000) }),
  z.object({ kind: z.literal('basic-reversed'), front: text(100_000), back: text(100_000) }),
  z.object({ kind: z.literal('cloze'), text: text(100_000), extra: text(100_000) }),
  z.object({
    kind: z.literal('image-occlusion'),
    /** Media reference of the image. */
    image: text(1000),
    masks: z.array(OcclusionMaskSchema).max(500),
    /** Shown above the image on both sides. */
    header: text(100_000),
    /** Shown under the image on the back. */
    back: text(100_000),
  }),
]);
export type NoteContent = z.infer<typeof NoteContentSchema>;
export type NoteKind = NoteContent['kind'];

export const RatingSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Rating = z.infer<typeof RatingSchema>;
export const RATING_NAMES: Record<Rating, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

export const CardStateSchema = z.enum(['new', 'learning', 'review', 'relearning']);
export type CardState = z.infer<typeof CardStateSchema>;

/** Which decks a list or a session covers: every deck, a class's decks (null: decks in no class), or one deck. */
export const StudyScopeSchema = z
  .object({ classId: z.string().uuid().nullable().optional(), deckId: z.string().uuid().optional() })
  .default({});
export type StudyScope = z.infer<typeof StudyScopeSchema>;

/** Cards left to study today within the deck's limits. */
export const DueCountsSchema = z.object({
  learning: z.number().int(),
  review: z.number().int(),
  new: z.number().int(),
});
export type DueCounts = z.infer<typeof DueCountsSchema>;

export const DeckSchema = z.object({
  id: z.string().uuid(),
  classId: z.string().uuid().nullable(),
  name: z.string(),
  description: z.string(),
  cards: z.number().int(),
  due: DueCountsSchema,
  /** "Ready for the exam": recall wanted on the class's next exam day; null when not targeting. */
  examTargetRecall: z.number().nullable(),
});
export type Deck = z.infer<typeof DeckSchema>;

export const NoteSchema = z.object({
  id: z.string().uuid(),
  deckId: z.string().uuid(),
  content: NoteContentSchema,
  tags: z.array(z.string()),
  cards: z.number().int(),
  /** Of its cards, how many are suspended (never shown until unsuspended). */
  suspended: z.number().int(),
  /** Of its cards, how many are buried until tomorrow. */
  buried: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Note = z.infer<typeof NoteSchema>;

export const NoteInputSchema = z.object({
  content: NoteContentSchema,
  tags: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
});

/** The card to study now: its sides (Markdown) and when it would be due after each answer. */
export const StudyCardSchema = z.object({
  id: z.string().uuid(),
  noteId: z.string().uuid(),
  deckId: z.string().uuid(),
  state: CardStateSchema,
  front: z.string(),
  back: z.string(),
  /** Image occlusion: the image and the mask group this card hides. */
  image: z.string().optional(),
  masks: z.array(OcclusionMaskSchema).optional(),
  occludedGroup: z.number().int().optional(),
  /** When the card would be due next after each rating, in epoch milliseconds. */
  nextDue: z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number() }),
});
export type StudyCard = z.infer<typeof StudyCardSchema>;

export const ImportSummarySchema = z.object({
  format: z.string(),
  decks: z.number().int(),
  notes: z.number().int(),
  cards: z.number().int(),
  reviews: z.number().int(),
  media: z.number().int(),
  /** Notes already here (same Anki note) that were left as they are. */
  skipped: z.number().int(),
  /** What was skipped or changed on the way in. */
  warnings: z.array(z.string()),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

const noteId = z.object({ id: z.string().uuid() });
const MAX_SELECTED = 50_000;

/** Cards to act on: these cards (a review session's), and every card of these notes (a deck's list). */
export const CardTargetSchema = z.object({
  cardIds: z.array(z.string().uuid()).max(MAX_SELECTED).default([]),
  noteIds: z.array(z.string().uuid()).max(MAX_SELECTED).default([]),
});
export type CardTarget = z.infer<typeof CardTargetSchema>;
const cardsChanged = z.object({ cards: z.number().int() });
const noteIds = z.array(z.string().uuid()).min(1).max(MAX_SELECTED);

/** How a deck stands for its class's next exam: predicted recall on the day and the work until then. */
export const ExamForecastSchema = z.object({
  exam: z.object({ title: z.string(), date: z.string() }).nullable(),
  targetRecall: z.number().nullable(),
  /** Mean predicted recall on the exam day if every review until then is done (answered Good). */
  expectedRecall: z.number().nullable(),
  /** Mean predicted recall on the exam day with no more study (new cards count as 0). */
  recallWithoutStudy: z.number().nullable(),
  newCardsPerDay: z.number().int(),
  /** Reviews and new cards each day until the exam, from today (ISO dates). */
  days: z.array(z.object({ date: z.string(), reviews: z.number().int(), newCards: z.number().int() })),
  /** Set when the plan asks more of a day than the deck's limits, or no time is left. */
  warning: z.string().nullable(),
});
export type ExamForecast = z.infer<typeof ExamForecastSchema>;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** How studying has gone in a scope: what the Statistics charts and their tables show. */
export const StudyStatsSchema = z.object({
  /** Answers and minutes per study day over the last year, oldest first (days without study left out). */
  reviewsPerDay: z.array(z.object({ date: isoDay, reviews: z.number().int(), minutes: z.number() })),
  /**
   * True retention: of the answers to cards in review (not learning), the share not answered
   * Again, per month (oldest first) over the last year.
   */
  retentionByMonth: z.array(
    z.object({
      month: z.string().regex(/^\d{4}-\d{2}$/),
      reviews: z.number().int(),
      passed: z.number().int(),
    }),
  ),
  /** The same over the last 30 days; null when there was no review. */
  retention30Days: z.number().nullable(),
  /** Cards falling due on each of the next 30 days, today first (overdue cards count today). */
  forecast: z.array(z.object({ date: isoDay, due: z.number().int() })),
  states: z.object({
    new: z.number().int(),
    learning: z.number().int(),
    review: z.number().int(),
    relearning: z.number().int(),
    suspended: z.number().int(),
  }),
  /** Study days in a row with at least one answer, up to today (or yesterday, until today's first answer). */
  streak: z.number().int(),
  /** Minutes of answering over the last 30 days. */
  minutes30Days: z.number(),
});
export type StudyStats = z.infer<typeof StudyStatsSchema>;

const ModelScoreSchema = z.object({ logLoss: z.number(), rmse: z.number() });
/** What an optimisation job found: the scores of the old and the fitted weights on held-out reviews. */
export const OptimisationSummarySchema = z.object({
  adopted: z.boolean(),
  before: ModelScoreSchema,
  after: ModelScoreSchema,
  trainingItems: z.number().int(),
  heldOutItems: z.number().int(),
});
export type OptimisationSummary = z.infer<typeof OptimisationSummarySchema>;

export const studyProcedures = {
  /** Whether the deck has enough answers to fit its own memory model, and whether it has one. */
  'study.optimiser': {
    input: z.object({ deckId: z.string().uuid() }),
    output: z.object({
      reviews: z.number().int(),
      needed: z.number().int(),
      /** The deck schedules with weights fitted to its own history (not FSRS's defaults). */
      ownWeights: z.boolean(),
    }),
  },
  /**
   * Fits FSRS's weights to the deck's review history as a job (progress, cancel); they are kept
   * only if they predict held-out reviews better. The job's result is an `OptimisationSummary`.
   */
  'study.optimise': { input: z.object({ deckId: z.string().uuid() }), output: JobSchema },
  /** Reviews per day, retention, the 30-day due forecast, card states and the streak, for a scope. */
  'study.stats': { input: StudyScopeSchema, output: StudyStatsSchema },
  /** Decks with their card count and what is due today within their limits. */
  'study.decks': { input: StudyScopeSchema, output: z.array(DeckSchema) },
  /** Sets a deck "ready for the exam" (recall wanted on the class's next exam day) or back to normal (null). */
  'study.decks.update': {
    input: z.object({
      id: z.string().uuid(),
      patch: z.object({ examTargetRecall: z.number().min(0.5).max(0.99).nullable() }),
    }),
    output: DeckSchema,
  },
  /** Expected recall on the class's next exam day and the daily work until then. */
  'study.examForecast': { input: z.object({ deckId: z.string().uuid() }), output: ExamForecastSchema },
  'study.notes.list': {
    input: z.object({ deckId: z.string().uuid() }),
    output: z.array(NoteSchema),
  },
  /** Adds a note to a deck, or to the class's deck (made on first use); says which note shares its first field. */
  'study.notes.create': {
    input: NoteInputSchema.extend({
      deckId: z.string().uuid().optional(),
      classId: z.string().uuid().nullable().default(null),
    }),
    output: z.object({ note: NoteSchema, duplicateOf: z.string().uuid().nullable() }),
  },
  /** New fields keep the cards (and their history) they still make; cards a cloze no longer makes go. */
  'study.notes.update': {
    input: z.object({ id: z.string().uuid(), content: NoteContentSchema, tags: NoteInputSchema.shape.tags }),
    output: NoteSchema,
  },
  'study.notes.delete': { input: noteId, output: noteId },
  'study.notes.get': { input: noteId, output: NoteSchema },
  /** Moves the notes' cards (with their history) to another deck, in one transaction. */
  'study.notes.move': {
    input: z.object({ ids: noteIds, deckId: z.string().uuid() }),
    output: z.object({ notes: z.number().int() }),
  },
  /** Deletes the notes, their cards and review history, all or none. */
  'study.notes.deleteMany': { input: z.object({ ids: noteIds }), output: z.object({ ids: noteIds }) },
  /** Suspends the cards (never shown until unsuspended), or unsuspends them. */
  'study.cards.suspend': {
    input: z.object({ target: CardTargetSchema, suspended: z.boolean() }),
    output: cardsChanged,
  },
  /** Hides the cards until the next study day begins. */
  'study.cards.bury': { input: z.object({ target: CardTargetSchema }), output: cardsChanged },
  /** Makes the cards new again: a reset row in each card's log, so earlier answers no longer count. */
  'study.cards.reset': { input: z.object({ target: CardTargetSchema }), output: cardsChanged },
  /** The card to study next in the scope, or null when nothing is left today. */
  'study.next': {
    input: StudyScopeSchema,
    output: z.object({ card: StudyCardSchema.nullable(), remaining: DueCountsSchema }),
  },
  /** Appends the answer to the review log and reschedules the card. */
  'study.answer': {
    input: z.object({
      cardId: z.string().uuid(),
      rating: RatingSchema,
      durationMs: z.number().int().min(0).max(86_400_000),
    }),
    output: z.object({ cardId: z.string().uuid(), state: CardStateSchema, due: z.number() }),
  },
  /** Takes back the last answer given today in the scope (removes exactly the log row it added). */
  'study.undo': {
    input: StudyScopeSchema,
    output: z.object({ cardId: z.string().uuid().nullable() }),
  },
  /** Imports an Anki package (.apkg, .colpkg) into a class, in one transaction. */
  'study.import': {
    input: z.object({ classId: z.string().uuid().nullable().default(null), source: ImportSourceSchema }),
    output: ImportSummarySchema,
  },
  /** Writes a deck (with its review history and media) as an Anki package at `path`. */
  'study.export': {
    input: z.object({ deckId: z.string().uuid(), path: z.string().min(1).max(4096) }),
    output: z.object({ path: z.string(), notes: z.number().int(), cards: z.number().int() }),
  },
} as const;

export const studyEvents = {
  /** Cards, notes or decks changed (answered, edited, imported, deleted). */
  'study.changed': z.object({ deckIds: z.array(z.string().uuid()) }),
} as const;

/** How long until `due`, as the answer buttons show it ("1m", "10m", "3d", "2.5mo"). */
export function formatInterval(fromMs: number, dueMs: number): string {
  const minutes = Math.max(1, Math.round((dueMs - fromMs) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = minutes / 60;
  if (hours < 24) return `${Math.round(hours)}h`;
  const days = hours / 24;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${(days / 30).toFixed(1).replace(/\.0$/, '')}mo`;
  return `${(days / 365).toFixed(1).replace(/\.0$/, '')}y`;
}
