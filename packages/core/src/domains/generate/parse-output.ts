import { z } from 'zod';
import { AppError, type GeneratedContent } from '../../contract/index.js';

/** An item as a model wrote it: its content and the passage labels it cites. */
export interface ParsedItem {
  content: GeneratedContent;
  sources: string[];
}

/**
 * A model can stop a character half-way through its UTF-8 bytes (a small one does); the pieces
 * decode as U+FFFD, which would show as "�", so they are dropped.
 */
const clean = (value: string) => value.replace(/\uFFFD/g, '').trim();
const text = z.string().transform(clean).pipe(z.string().min(1));
const free = z.string().transform(clean);
const cited = z.array(z.string());

const QuizAnswer = z.object({
  multipleChoice: z.array(
    z.object({
      question: text,
      options: z.array(text).length(4),
      answer: z.number().int().min(0).max(3),
      explanation: free,
      sources: cited,
    }),
  ),
  trueFalse: z.array(z.object({ statement: text, answer: z.boolean(), explanation: free, sources: cited })),
  shortAnswer: z.array(z.object({ question: text, expectedAnswer: text, explanation: free, sources: cited })),
});

const CardsAnswer = z.object({
  basic: z.array(z.object({ front: text, back: text, sources: cited })),
  cloze: z.array(
    z.object({
      before: free,
      hidden: text,
      after: free,
      extra: free.nullable(),
      sources: cited,
    }),
  ),
});

/**
 * The answer as JSON of the schema it was asked for. A local grammar guarantees it; a cloud
 * service's JSON mode usually does, and when it does not, the whole answer is refused (nothing of
 * it is stored) rather than guessed at.
 */
function parse<T>(raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid('is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalid('does not have the fields asked for');
  return parsed.data;
}

const invalid = (what: string) =>
  new AppError(
    'INTERNAL',
    `The model's answer ${what}, so nothing was saved. Try again, or choose another model in the tutor's settings.`,
  );

export function parseQuiz(raw: string): ParsedItem[] {
  const answer = parse(raw, QuizAnswer);
  return [
    ...answer.multipleChoice.map(({ sources, ...item }) => ({
      content: { type: 'multiple-choice' as const, ...item },
      sources,
    })),
    ...answer.trueFalse.map(({ sources, ...item }) => ({
      content: { type: 'true-false' as const, ...item },
      sources,
    })),
    ...answer.shortAnswer.map(({ sources, ...item }) => ({
      content: { type: 'short-answer' as const, ...item },
      sources,
    })),
  ];
}

export function parseCards(raw: string): ParsedItem[] {
  const answer = parse(raw, CardsAnswer);
  return [
    ...answer.basic.map(({ sources, front, back }) => ({
      content: { type: 'basic' as const, front, back },
      sources,
    })),
    ...answer.cloze.map(({ sources, before, hidden, after, extra }) => ({
      content: { type: 'cloze' as const, text: clozeText(before, hidden, after), extra: extra ?? '' },
      sources,
    })),
  ];
}

/** The deck's cloze syntax; braces in the model's words would break it, so they become parentheses. */
export function clozeText(before: string, hidden: string, after: string): string {
  const plain = (value: string) => value.replace(/\{\{|\}\}/g, (match) => (match === '{{' ? '(' : ')'));
  const join = (a: string, b: string) => (a && b && !/\s$/.test(a) && !/^[\s.,;:!?]/.test(b) ? ' ' : '');
  const [head, word, tail] = [plain(before), plain(hidden).trim(), plain(after)];
  return `${head}${join(head, word)}{{c1::${word}}}${join(word, tail)}${tail}`.trim();
}
