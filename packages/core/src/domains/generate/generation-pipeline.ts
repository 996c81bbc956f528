import type { GenerateResult, JsonSchema, LlmEngine } from '../../ai/llm/llm-engine.js';
import { AppError, type GeneratedContent, type GeneratedKind } from '../../contract/index.js';
import type { Passage } from '../../search/hybrid-search.js';
import {
  cardMix,
  cardsSchema,
  MAX_ITEM_CHARS,
  quizMix,
  quizSchema,
  type CardMix,
  type QuizMix,
} from './output-schemas.js';
import { FLASHCARDS_SYSTEM_PROMPT, flashcardsPrompt } from './prompts/flashcards-prompt.js';
import { QUIZ_SYSTEM_PROMPT, quizPrompt } from './prompts/quiz-prompt.js';
import { cutSections, sectionTokensFor, type LabelledPassage, type Section } from './sections.js';
import { parseCards, parseQuiz, type ParsedItem } from './parse-output.js';
import { distinctItems } from './distinct-items.js';

/** A generated item with the passages it cites (at least one, each one that was in its prompt). */
export interface DraftItem {
  content: GeneratedContent;
  passages: LabelledPassage[];
}

export interface GenerationReport {
  sections: number;
  sectionTokens: number;
  /** Source tokens per section, as the engine counts them. */
  sourceTokens: number[];
  promptTokens: number;
  outputTokens: number;
  /** Milliseconds spent building prompts and schemas (not generating). */
  preparationMs: number;
  generationMs: number;
}

export interface GenerateItemsRequest {
  engine: LlmEngine;
  kind: GeneratedKind;
  passages: Passage[];
  count: number;
  signal: AbortSignal;
  /** 0..1 as sections finish. */
  onProgress?: (fraction: number, message: string) => void;
  temperature?: number;
  /** Only items of this type (writing one item again keeps its type). */
  only?: GeneratedContent['type'];
}

/** Tokens of the chat template's markers and the prompt's fixed words, which the counts above do not see. */
const PROMPT_OVERHEAD_TOKENS = 96;
/** Output can tokenise less densely than the source (numbers, punctuation): room to spare. */
const OUTPUT_MARGIN = 1.3;
const SMALLEST_SECTION_TOKENS = 150;

/**
 * Map over token-budgeted sections of the source (one structured call each, asking for that
 * section's share of the items), then reduce: merge the sections' items, drop repeats, and place
 * multiple-choice answers at varied positions. Nothing is stored here; a stopped or failed run
 * leaves nothing behind.
 */
export async function generateItems(request: GenerateItemsRequest): Promise<{
  items: DraftItem[];
  report: GenerationReport;
}> {
  const prepared = performance.now();
  const { engine, kind, signal } = request;
  const system = kind === 'quiz' ? QUIZ_SYSTEM_PROMPT : FLASHCARDS_SYSTEM_PROMPT;
  const counted = await Promise.all(
    request.passages.map(async (passage) => ({ ...passage, tokens: await engine.countTokens(passage.text) })),
  );
  const plan = planBudget({
    contextTokens: engine.info.contextTokens,
    systemTokens: await engine.countTokens(system),
    passages: counted,
    kind,
  });
  const sections = cutSections(counted, plan.sectionTokens, request.count, plan.maxItemsPerSection);
  let preparationMs = performance.now() - prepared;

  const report: GenerationReport = {
    sections: sections.length,
    sectionTokens: plan.sectionTokens,
    sourceTokens: sections.map((section) => section.tokens),
    promptTokens: 0,
    outputTokens: 0,
    preparationMs: 0,
    generationMs: 0,
  };
  const types = itemTypes(
    kind,
    sections.reduce((sum, section) => sum + section.items, 0),
    request.only,
  );
  const drafts: DraftItem[] = [];
  for (const [index, section] of sections.entries()) {
    if (signal.aborted) throw cancelled();
    request.onProgress?.(index / sections.length, `Section ${index + 1} of ${sections.length}`);
    const built = performance.now();
    const call = sectionCall(kind, section, types.splice(0, section.items));
    preparationMs += performance.now() - built;
    const started = performance.now();
    const result = await engine.generate({
      system,
      history: [],
      prompt: call.prompt,
      jsonSchema: call.schema,
      maxTokens: Math.ceil(section.items * plan.itemTokens),
      temperature: request.temperature ?? 0,
      signal,
    });
    report.generationMs += performance.now() - started;
    report.promptTokens += result.usage.promptTokens ?? 0;
    report.outputTokens += result.usage.outputTokens ?? 0;
    drafts.push(...toDrafts(kind, result, section));
  }
  request.onProgress?.(1, 'Merging');
  report.preparationMs = preparationMs;
  return { items: arrangeAnswers(distinctItems(drafts)).slice(0, request.count), report };
}

export interface BudgetPlan {
  sectionTokens: number;
  /** Output tokens one item may take. */
  itemTokens: number;
  maxItemsPerSection: number;
}

/**
 * How much source one prompt holds and how many items its answer has room for: the section size
 * for the model's context (sections.ts), shrunk when the answer for even one item would not fit.
 */
export function planBudget(input: {
  contextTokens: number;
  systemTokens: number;
  passages: { text: string; tokens: number }[];
  kind: GeneratedKind;
}): BudgetPlan {
  const chars = input.passages.reduce((sum, passage) => sum + passage.text.length, 0);
  const tokens = input.passages.reduce((sum, passage) => sum + passage.tokens, 0);
  const charsPerToken = Math.max(1, chars / Math.max(1, tokens));
  const widest = input.kind === 'quiz' ? MAX_ITEM_CHARS['multiple-choice'] : MAX_ITEM_CHARS.cloze;
  const itemTokens = Math.ceil((widest / charsPerToken) * OUTPUT_MARGIN);
  const fixed = input.systemTokens + PROMPT_OVERHEAD_TOKENS;
  const sectionTokens = Math.min(
    sectionTokensFor(input.contextTokens),
    input.contextTokens - fixed - itemTokens,
  );
  if (sectionTokens < SMALLEST_SECTION_TOKENS)
    throw new AppError(
      'ENGINE_UNAVAILABLE',
      'The chosen model reads too little text at once to write questions from it. Choose a model with a larger context in Settings › Models.',
    );
  const longest = Math.max(0, ...input.passages.map((passage) => passage.tokens));
  if (longest > sectionTokens)
    throw new AppError(
      'INVALID_INPUT',
      'A passage of this source is longer than the chosen model can read at once. Choose a model with a larger context.',
    );
  const maxItemsPerSection = Math.max(
    1,
    Math.floor((input.contextTokens - fixed - sectionTokens) / itemTokens),
  );
  return { sectionTokens, itemTokens, maxItemsPerSection };
}

/**
 * The type of each item to ask for, in order, spread so that every section (which takes the next
 * few) gets a share of each type: a quiz of true/false and short answers too, not only the
 * multiple-choice questions a one-question section would ask.
 */
export function itemTypes(
  kind: GeneratedKind,
  total: number,
  only?: GeneratedContent['type'],
): GeneratedContent['type'][] {
  if (only) return Array<GeneratedContent['type']>(total).fill(only);
  const counts: [GeneratedContent['type'], number][] =
    kind === 'quiz'
      ? Object.entries(quizMix(total)).map(([key, n]) => [QUIZ_TYPES[key as keyof QuizMix], n])
      : [
          ['basic', cardMix(total).basic],
          ['cloze', cardMix(total).cloze],
        ];
  const taken = new Map(counts.map(([type]) => [type, 0]));
  const order: GeneratedContent['type'][] = [];
  for (let i = 0; i < total; i += 1) {
    // The type furthest behind its share so far goes next.
    const [type] = counts.reduce((best, entry) =>
      entry[1] > 0 &&
      taken.get(entry[0])! / entry[1] < (best[1] > 0 ? taken.get(best[0])! / best[1] : Infinity)
        ? entry
        : best,
    );
    taken.set(type, taken.get(type)! + 1);
    order.push(type);
  }
  return order;
}

const QUIZ_TYPES: Record<keyof QuizMix, GeneratedContent['type']> = {
  multipleChoice: 'multiple-choice',
  trueFalse: 'true-false',
  shortAnswer: 'short-answer',
};

function sectionCall(
  kind: GeneratedKind,
  section: Section,
  types: GeneratedContent['type'][],
): { prompt: string; schema: JsonSchema } {
  const labels = section.passages.map((passage) => passage.label);
  const text = section.passages.map((passage) => `[${passage.label}]\n${passage.text.trim()}`).join('\n\n');
  const count = (type: GeneratedContent['type']) => types.filter((t) => t === type).length;
  if (kind === 'quiz') {
    const mix: QuizMix = {
      multipleChoice: count('multiple-choice'),
      trueFalse: count('true-false'),
      shortAnswer: count('short-answer'),
    };
    return { prompt: quizPrompt(text, mix), schema: quizSchema(labels, mix) };
  }
  const mix: CardMix = { basic: count('basic'), cloze: count('cloze') };
  return { prompt: flashcardsPrompt(text, mix), schema: cardsSchema(labels, mix) };
}

function toDrafts(kind: GeneratedKind, result: GenerateResult, section: Section): DraftItem[] {
  if (result.finish === 'stopped') throw cancelled();
  if (result.finish === 'length')
    throw new AppError(
      'INTERNAL',
      'The model stopped before finishing its answer, so nothing was saved. Try again, or ask for fewer items.',
    );
  const byLabel = new Map(section.passages.map((passage) => [passage.label, passage]));
  const parsed: ParsedItem[] = kind === 'quiz' ? parseQuiz(result.text) : parseCards(result.text);
  return parsed.flatMap((item) => {
    // Only labels of this prompt count; a cloud answer citing others keeps the ones that are real.
    const passages = [...new Set(item.sources)].flatMap((label) => byLabel.get(label) ?? []);
    return passages.length > 0 ? [{ content: item.content, passages }] : [];
  });
}

/** Rotates each multiple-choice item's options so the right one sits at a varied, spread position. */
export function arrangeAnswers(items: DraftItem[]): DraftItem[] {
  let question = 0;
  return items.map((item) => {
    const { content } = item;
    if (content.type !== 'multiple-choice') return item;
    const size = content.options.length;
    // 2, 0, 3, 1, 2, 0 …: every position used, never the same one twice running.
    const target = [2, 0, 3, 1][question % 4]! % size;
    question += 1;
    const shift = (target - content.answer + size) % size;
    const options = content.options.map((_, i) => content.options[(i - shift + size) % size]!);
    return { ...item, content: { ...content, options, answer: target } };
  });
}

const cancelled = () => new AppError('CANCELLED', 'Generation was cancelled; nothing was saved.');
