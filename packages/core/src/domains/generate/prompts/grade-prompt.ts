/** The same for every answer graded, so a local engine keeps it evaluated. */
export const GRADE_SYSTEM_PROMPT = [
  "You grade a student's short answer to a quiz question fairly.",
  'Compare it with the expected answer and the source passage. Accept different wording, synonyms and small spelling mistakes when the meaning is right; reject answers that are wrong, vague or about something else.',
  'Give your reasoning in one or two sentences, in the language of the question, then whether the answer is correct. Answer with JSON only.',
].join('\n');

export function gradePrompt(input: {
  question: string;
  expectedAnswer: string;
  passage: string;
  answer: string;
}): string {
  return [
    `Source passage:\n${input.passage}`,
    `Question: ${input.question}`,
    `Expected answer: ${input.expectedAnswer}`,
    `Student's answer: ${input.answer}`,
  ].join('\n\n');
}
