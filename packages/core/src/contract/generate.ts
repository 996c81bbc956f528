import { z } from 'zod';
import { SourceLocationSchema, SourceRefSchema } from './sources.js';
import { AnsweredBySchema } from './tutor.js';

/**
 * Quizzes and flashcards generated from the student's own material. Every item keeps the exact
 * passages it came from (with a hash of their text), so it is flagged when a source changes.
 */

/** What to generate from: a material (whole, or a range of its pages) or a lecture's transcript. */
export const GenerateFromSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('material'),
    id: z.string().uuid(),
    /** First and last page (1-based, inclusive); null: from the start / to the end. */
    pageStart: z.number().int().min(1).nullable().default(null),
    pageEnd: z.number().int().min(1).nullable().default(null),
  }),
  z.object({ kind: z.literal('lecture'), id: z.string().uuid() }),
]);
export type GenerateFrom = z.infer<typeof GenerateFromSchema>;

export const GENERATED_KINDS = ['quiz', 'flashcards'] as const;
export const GeneratedKindSchema = z.enum(GENERATED_KINDS);
export type GeneratedKind = z.infer<typeof GeneratedKindSchema>;

/** A passage an item was made from: where it is, and a hash of its text when the item was made. */
export const CitedSourceSchema = z.object({
  ref: SourceRefSchema,
  location: SourceLocationSchema,
  /** The material's or lecture's title when the item was made. */
  title: z.string(),
  /** The start of the passage, to show beside the item. */
  excerpt: z.string(),
  /** SHA-256 of the passage's text: a different text at the source means the source changed. */
  textHash: z.string(),
});
export type CitedSource = z.infer<typeof CitedSourceSchema>;

/** Set when a cited source changed (re-imported, a transcript line corrected) or was deleted. */
export const StalenessSchema = z.enum(['changed', 'removed']).nullable();
export type Staleness = z.infer<typeof StalenessSchema>;

const explanation = z.string().max(2000);

/** A question or a card, as generated (and, for cards, as the student edited it). */
export const GeneratedContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('multiple-choice'),
    question: z.string().min(1).max(2000),
    options: z.array(z.string().max(1000)).min(2).max(6),
    /** Index of the one right option. */
    answer: z.number().int().min(0),
    explanation,
  }),
  z.object({
    type: z.literal('true-false'),
    statement: z.string().min(1).max(2000),
    answer: z.boolean(),
    explanation,
  }),
  z.object({
    type: z.literal('short-answer'),
    question: z.string().min(1).max(2000),
    expectedAnswer: z.string().max(2000),
    explanation,
  }),
  z.object({ type: z.literal('basic'), front: z.string().min(1).max(4000), back: z.string().max(4000) }),
  /** Cloze text in the deck's syntax: `{{c1::hidden}}`. */
  z.object({ type: z.literal('cloze'), text: z.string().min(1).max(4000), extra: z.string().max(4000) }),
]);
export type GeneratedContent = z.infer<typeof GeneratedContentSchema>;
export type QuizQuestion = Extract<
  GeneratedContent,
  { type: 'multiple-choice' | 'true-false' | 'short-answer' }
>;
export type CardProposal = Extract<GeneratedContent, { type: 'basic' | 'cloze' }>;
export const CardProposalSchema = z.discriminatedUnion('type', [
  GeneratedContentSchema.options[3],
  GeneratedContentSchema.options[4],
]);

/** Cards wait for the student: proposed, then accepted into the deck or dismissed. Questions are `ready`. */
export const ItemStatusSchema = z.enum(['ready', 'proposed', 'accepted', 'dismissed']);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

export const GeneratedItemSchema = z.object({
  id: z.string().uuid(),
  setId: z.string().uuid(),
  ordinal: z.number().int(),
  content: GeneratedContentSchema,
  sources: z.array(CitedSourceSchema),
  stale: StalenessSchema,
  status: ItemStatusSchema,
  /** The deck's note an accepted card became. */
  noteId: z.string().uuid().nullable(),
});
export type GeneratedItem = z.infer<typeof GeneratedItemSchema>;

export const GeneratedSetSchema = z.object({
  id: z.string().uuid(),
  kind: GeneratedKindSchema,
  classId: z.string().uuid().nullable(),
  title: z.string(),
  from: GenerateFromSchema,
  madeBy: AnsweredBySchema,
  createdAt: z.string(),
  items: z.number().int(),
  /** Items whose source changed or went. */
  staleItems: z.number().int(),
});
export type GeneratedSet = z.infer<typeof GeneratedSetSchema>;

/** What the student answered: an option's index, true/false, or text. */
export const QuizResponseSchema = z.union([
  z.number().int().min(0),
  z.boolean(),
  z.string().max(4000),
  z.null(),
]);
export type QuizResponse = z.infer<typeof QuizResponseSchema>;

export const GradedAnswerSchema = z.object({
  itemId: z.string().uuid(),
  response: QuizResponseSchema,
  correct: z.boolean(),
  /** How a short answer was judged (the model's reasoning); null for exact grading. */
  reasoning: z.string().nullable(),
  /** The student overruled the grade. */
  overruled: z.boolean(),
});
export type GradedAnswer = z.infer<typeof GradedAnswerSchema>;

export const QuizAttemptSchema = z.object({
  id: z.string().uuid(),
  setId: z.string().uuid(),
  classId: z.string().uuid().nullable(),
  title: z.string(),
  answers: z.array(GradedAnswerSchema),
  score: z.number().int(),
  total: z.number().int(),
  createdAt: z.string(),
});
export type QuizAttempt = z.infer<typeof QuizAttemptSchema>;

const id = z.object({ id: z.string().uuid() });

export const generateProcedures = {
  /** Starts a background job that writes a quiz or proposes flashcards from a material or lecture. */
  'generate.start': {
    input: z.object({
      kind: GeneratedKindSchema,
      from: GenerateFromSchema,
      /** How many questions or cards to aim for. */
      count: z.number().int().min(1).max(40).default(10),
    }),
    output: z.object({ jobId: z.string().uuid() }),
  },
  /** Generated quizzes and card sets, newest first: of one class, of no class (null), or all. */
  'generate.sets': {
    input: z.object({ classId: z.string().uuid().nullable().optional() }).default({}),
    output: z.array(GeneratedSetSchema),
  },
  'generate.set': {
    input: id,
    output: z.object({ set: GeneratedSetSchema, items: z.array(GeneratedItemSchema) }),
  },
  'generate.deleteSet': { input: id, output: id },
  /** Clears an item's "source changed/removed" flag, keeping it as it is. */
  'generate.keep': { input: id, output: GeneratedItemSchema },
  /** Writes one item again from its sources as they are now; the other items stay as they are. */
  'generate.regenerate': { input: id, output: GeneratedItemSchema },
  /** Adds proposed cards (as given: edited or not) to the class's deck; the others of the set stay proposed. */
  'generate.acceptCards': {
    input: z.object({
      setId: z.string().uuid(),
      cards: z.array(z.object({ id: z.string().uuid(), content: CardProposalSchema.optional() })).min(1),
    }),
    output: z.object({ accepted: z.number().int(), items: z.array(GeneratedItemSchema) }),
  },
  'generate.dismissCards': {
    input: z.object({ ids: z.array(z.string().uuid()).min(1) }),
    output: z.array(GeneratedItemSchema),
  },
  /** Grades a taken quiz: choices exactly, short answers by the chat model (reasoning kept). */
  'quizzes.grade': {
    input: z.object({
      setId: z.string().uuid(),
      answers: z.array(z.object({ itemId: z.string().uuid(), response: QuizResponseSchema })),
    }),
    output: QuizAttemptSchema,
  },
  /** The student overrules one grade; the score follows. */
  'quizzes.overrule': {
    input: z.object({ attemptId: z.string().uuid(), itemId: z.string().uuid(), correct: z.boolean() }),
    output: QuizAttemptSchema,
  },
  /** Score history, newest first: of one class, of no class (null), or all. */
  'quizzes.attempts': {
    input: z.object({ classId: z.string().uuid().nullable().optional() }).default({}),
    output: z.array(QuizAttemptSchema),
  },
  /** Turns a quiz question (one answered wrong, say) into a card in its class's deck. */
  'quizzes.toFlashcard': {
    input: z.object({ itemId: z.string().uuid() }),
    output: z.object({ noteId: z.string().uuid() }),
  },
} as const;

export const generateEvents = {
  /** Generated sets or their items changed (made, flagged stale, kept, accepted, deleted). */
  'generate.changed': z.object({ setIds: z.array(z.string().uuid()) }),
  /** A quiz was graded or a grade overruled. */
  'quizzes.changed': z.object({ attemptIds: z.array(z.string().uuid()) }),
} as const;
