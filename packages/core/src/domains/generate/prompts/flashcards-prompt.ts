import type { CardMix } from '../output-schemas.js';

/** The same for every section, so a local engine keeps it evaluated between calls. */
export const FLASHCARDS_SYSTEM_PROMPT = [
  "You write flashcards from a student's own study material, one fact or idea per card.",
  'Use only what the numbered passages say. Write in the language the passages are written in.',
  'Basic cards: a short question on the front, its answer on the back.',
  'Cloze cards: a sentence split into the text before the hidden words, the hidden words (a key term or number), and the text after; "extra" is an optional hint or context, or null.',
  'List in "sources" the labels of the passages each card comes from. Do not make two cards about the same fact. Answer with JSON only.',
].join('\n');

export function flashcardsPrompt(passages: string, mix: CardMix): string {
  return [
    `Passages:\n\n${passages}`,
    `Write ${[mix.basic ? `${mix.basic} basic` : '', mix.cloze ? `${mix.cloze} cloze` : ''].filter(Boolean).join(' and ')} flashcard${mix.basic + mix.cloze === 1 ? '' : 's'} from these passages.`,
  ].join('\n\n');
}
