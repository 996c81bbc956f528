import { AppError, formatClock, type TutorSource } from '../../contract/index.js';
import type { ChatTurn } from '../../ai/llm/llm-engine.js';
import { withoutCitations } from './citations.js';
import type { Passage } from './tutor-retriever.js';

/**
 * The same for every request, so a local engine keeps it evaluated between questions. Whether
 * sources were found is said in the user message, not here, for the same reason.
 */
export const TUTOR_SYSTEM_PROMPT = [
  "You are Little Monster, a patient study tutor. Answer the student's question from the numbered sources in their message.",
  'After each claim, cite the source it comes from as [n], for example [2]. Cite only the sources given; never invent a number.',
  'If the sources do not answer the question, say that the material does not cover it.',
  'When the message says no source covers the question, answer from general knowledge, briefly, and begin by saying that this is a general answer, not from their material.',
  'Be concise and clear. Use Markdown. Write mathematics in LaTeX between $ signs.',
].join('\n');

export interface PromptBudget {
  /** Tokens the engine accepts in one request. */
  contextTokens: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
  /** Most tokens the sources may take (a short prompt gives a quick first token on a small CPU). */
  sourceTokens: number;
  /** Most tokens earlier turns may take. */
  historyTokens: number;
}

export const DEFAULT_BUDGET: Omit<PromptBudget, 'contextTokens'> = {
  answerTokens: 768,
  sourceTokens: 1000,
  historyTokens: 1000,
};

/** Tokens for the chat template's markers around each message, which the counts below do not see. */
const TEMPLATE_TOKENS_PER_TURN = 8;
const EXCERPT_CHARS = 160;

export interface GroundedPrompt {
  prompt: string;
  history: ChatTurn[];
  /** The sources in the prompt, numbered as the prompt numbers them. */
  sources: TutorSource[];
  /** Tokens of system prompt, history and prompt: exact when the engine counts requests, else estimated. */
  tokens: number;
}

export interface BuildPromptInput {
  question: string;
  /** Best first; kept in this order while they fit. */
  passages: Passage[];
  /** Earlier turns, oldest first. */
  history: ChatTurn[];
  budget: PromptBudget;
  countTokens: (text: string) => Promise<number>;
  /** The exact count of a whole request, template included, when the engine can give it. */
  countRequestTokens?: (request: { system: string; history: ChatTurn[]; prompt: string }) => Promise<number>;
}

/**
 * Builds the user message for a question: numbered sources (as many as the token budget allows,
 * each whole), then the question. Earlier turns are kept newest first while they fit, without
 * their citation markers (their numbers referred to other sources).
 */
export async function buildGroundedPrompt(input: BuildPromptInput): Promise<GroundedPrompt> {
  const { question, budget, countTokens } = input;
  const systemTokens = (await countTokens(TUTOR_SYSTEM_PROMPT)) + TEMPLATE_TOKENS_PER_TURN;
  const questionPart = `Question: ${question.trim()}`;
  const fixed =
    systemTokens + (await countTokens(questionPart)) + TEMPLATE_TOKENS_PER_TURN + budget.answerTokens;
  let room = budget.contextTokens - fixed;
  if (room < 0)
    throw new AppError(
      'INVALID_INPUT',
      'This question is too long for the chosen model. Shorten it, or ask it in parts.',
    );

  const history: ChatTurn[] = [];
  let historyRoom = Math.min(budget.historyTokens, room);
  for (const turn of [...input.history].reverse()) {
    const text = turn.role === 'assistant' ? withoutCitations(turn.text) : turn.text;
    const cost = (await countTokens(text)) + TEMPLATE_TOKENS_PER_TURN;
    if (cost > historyRoom) break;
    history.unshift({ role: turn.role, text });
    historyRoom -= cost;
    room -= cost;
  }

  const sources: TutorSource[] = [];
  const blocks: string[] = [];
  let sourceRoom = Math.min(budget.sourceTokens, room);
  for (const passage of input.passages) {
    const block = `[${sources.length + 1}] ${sourceLabel(passage)}\n${passage.text.trim()}`;
    const cost = (await countTokens(block)) + 2;
    if (cost > sourceRoom) continue; // a shorter passage further down may still fit
    sourceRoom -= cost;
    blocks.push(block);
    sources.push(toSource(passage, sources.length + 1));
  }

  const limit = budget.contextTokens - budget.answerTokens;
  const render = () => `Sources from the student's material:\n\n${blocks.join('\n\n')}\n\n${questionPart}`;
  let prompt =
    blocks.length > 0
      ? render()
      : `No source in the student's material covers this question.\n\n${questionPart}`;
  let tokens = await estimateTokens(prompt);
  // The per-turn template estimate is close, not exact: where the engine can count the real
  // request, drop the last source (then the oldest turn) until it truly fits.
  if (input.countRequestTokens) {
    tokens = await input.countRequestTokens({ system: TUTOR_SYSTEM_PROMPT, history, prompt });
    while (tokens > limit && (blocks.length > 0 || history.length > 0)) {
      if (blocks.length > 0) {
        blocks.pop();
        sources.pop();
      } else history.shift();
      prompt =
        blocks.length > 0
          ? render()
          : `No source in the student's material covers this question.\n\n${questionPart}`;
      tokens = await input.countRequestTokens({ system: TUTOR_SYSTEM_PROMPT, history, prompt });
    }
  }
  return { prompt, history, sources, tokens };

  async function estimateTokens(text: string): Promise<number> {
    const turnTokens = await Promise.all(history.map((turn) => countTokens(turn.text)));
    return (
      systemTokens +
      turnTokens.reduce((sum, n) => sum + n + TEMPLATE_TOKENS_PER_TURN, 0) +
      (await countTokens(text)) +
      TEMPLATE_TOKENS_PER_TURN
    );
  }
}

/** "Lecture notes, page 6", "Week 3 slides, slide 2", "Lecture 4, 12:05". */
export function sourceLabel(
  passage: Pick<Passage, 'title' | 'materialType' | 'location' | 'heading'>,
): string {
  const { location } = passage;
  const place =
    location.kind === 'time'
      ? formatClock(location.startSec * 1000)
      : location.pageStart === null
        ? null
        : `${passage.materialType === 'slides' ? 'slide' : 'page'} ${location.pageStart}${
            location.pageEnd !== null && location.pageEnd !== location.pageStart ? `–${location.pageEnd}` : ''
          }`;
  const heading = passage.heading ? ` (${passage.heading})` : '';
  return `${passage.title}${place ? `, ${place}` : ''}${heading}`;
}

function toSource(passage: Passage, n: number): TutorSource {
  const flat = passage.text.replace(/\s+/g, ' ').trim();
  return {
    n,
    chunkId: passage.chunkId,
    ref: passage.ref,
    title: passage.title,
    materialType: passage.materialType,
    location: passage.location,
    excerpt: flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS).trimEnd()}…` : flat,
  };
}
