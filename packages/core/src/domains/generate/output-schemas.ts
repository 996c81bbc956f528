import type { JsonSchema } from '../../ai/llm/llm-engine.js';

/**
 * The JSON schemas answers are held to: by a grammar on llama.cpp (node-llama-cpp marks every
 * property required and ignores `pattern` and `minimum`), by the cloud services' JSON modes.
 * Every string has a `maxLength` (a bounded answer, and a tiny model cannot run on forever);
 * numbers are enums; an optional field is `oneOf [T, null]`. Each item's `sources` is an enum
 * of the labels of the passages in that very prompt, so a model cannot cite what it was not shown.
 */
export const LIMITS = {
  question: 200,
  option: 80,
  explanation: 240,
  expectedAnswer: 120,
  front: 160,
  back: 240,
  cloze: 120,
  reasoning: 300,
} as const;

/** Longest JSON one item of each kind can be (its strings at their limits, plus syntax). */
export const MAX_ITEM_CHARS = {
  'multiple-choice': LIMITS.question + 4 * LIMITS.option + LIMITS.explanation + 160,
  'true-false': LIMITS.question + LIMITS.explanation + 120,
  'short-answer': LIMITS.question + LIMITS.expectedAnswer + LIMITS.explanation + 120,
  basic: LIMITS.front + LIMITS.back + 100,
  cloze: 3 * LIMITS.cloze + LIMITS.back + 120,
} as const;

const string = (maxLength: number, minLength = 1): JsonSchema => ({ type: 'string', minLength, maxLength });

const sources = (labels: string[]): JsonSchema => ({
  type: 'array',
  items: { enum: labels },
  minItems: 1,
  maxItems: Math.min(3, labels.length),
});

const list = (item: JsonSchema, count: number): JsonSchema => ({
  type: 'array',
  items: item,
  minItems: count,
  maxItems: count,
});

const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export interface QuizMix {
  multipleChoice: number;
  trueFalse: number;
  shortAnswer: number;
}

/** A mix for `n` questions: mostly multiple choice, about a quarter true/false, a fifth short answer. */
export function quizMix(n: number): QuizMix {
  const trueFalse = Math.floor(n / 4 + 0.5);
  const shortAnswer = Math.floor(n / 5 + 0.5);
  return { multipleChoice: n - trueFalse - shortAnswer, trueFalse, shortAnswer };
}

export function quizSchema(labels: string[], mix: QuizMix): JsonSchema {
  return object({
    multipleChoice: list(
      object({
        question: string(LIMITS.question),
        options: { type: 'array', items: string(LIMITS.option), minItems: 4, maxItems: 4 },
        answer: { enum: [0, 1, 2, 3] },
        explanation: string(LIMITS.explanation),
        sources: sources(labels),
      }),
      mix.multipleChoice,
    ),
    trueFalse: list(
      object({
        statement: string(LIMITS.question),
        answer: { type: 'boolean' },
        explanation: string(LIMITS.explanation),
        sources: sources(labels),
      }),
      mix.trueFalse,
    ),
    shortAnswer: list(
      object({
        question: string(LIMITS.question),
        expectedAnswer: string(LIMITS.expectedAnswer),
        explanation: string(LIMITS.explanation),
        sources: sources(labels),
      }),
      mix.shortAnswer,
    ),
  });
}

export interface CardMix {
  basic: number;
  cloze: number;
}

/** A mix for `n` cards: a third cloze, the rest question and answer. */
export const cardMix = (n: number): CardMix => ({ basic: n - Math.floor(n / 3), cloze: Math.floor(n / 3) });

export function cardsSchema(labels: string[], mix: CardMix): JsonSchema {
  return object({
    basic: list(
      object({ front: string(LIMITS.front), back: string(LIMITS.back), sources: sources(labels) }),
      mix.basic,
    ),
    cloze: list(
      object({
        before: string(LIMITS.cloze, 0),
        hidden: string(LIMITS.cloze),
        after: string(LIMITS.cloze, 0),
        extra: { oneOf: [string(LIMITS.back), { type: 'null' }] },
        sources: sources(labels),
      }),
      mix.cloze,
    ),
  });
}

export function gradeSchema(): JsonSchema {
  return object({ reasoning: string(LIMITS.reasoning), correct: { type: 'boolean' } });
}
