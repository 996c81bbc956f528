import type { QuizMix } from '../output-schemas.js';

/** The same for every section, so a local engine keeps it evaluated between calls. */
export const QUIZ_SYSTEM_PROMPT = [
  "You write quiz questions that test understanding of a student's own study material.",
  'Use only what the numbered passages say. Write in the language the passages are written in.',
  'Multiple choice: one right answer and three plausible wrong answers of similar length; give the index of the right one.',
  'True/false: a statement the passages clearly make true or clearly make false.',
  'Short answer: a question answered in a few words, with the expected answer.',
  'Explain each answer in one or two sentences, and list in "sources" the labels of the passages it comes from.',
  'Do not ask the same thing twice. Answer with JSON only.',
].join('\n');

export function quizPrompt(passages: string, mix: QuizMix): string {
  return [`Passages:\n\n${passages}`, `Write ${asked(mix)} about these passages.`].join('\n\n');
}

/** "2 multiple-choice and 1 true/false questions": only the kinds asked for. */
function asked(mix: QuizMix): string {
  const parts = [
    [mix.multipleChoice, 'multiple-choice'],
    [mix.trueFalse, 'true/false'],
    [mix.shortAnswer, 'short-answer'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, kind]) => `${n} ${kind}`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '0');
  return `${list} question${mix.multipleChoice + mix.trueFalse + mix.shortAnswer === 1 ? '' : 's'}`;
}
