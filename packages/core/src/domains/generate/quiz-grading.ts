import type { LlmEngine } from '../../ai/llm/llm-engine.js';
import { AppError, type GeneratedItem, type GradedAnswer, type QuizResponse } from '../../contract/index.js';
import { gradeSchema } from './output-schemas.js';
import { GRADE_SYSTEM_PROMPT, gradePrompt } from './prompts/grade-prompt.js';
import { z } from 'zod';

const Grade = z.object({ reasoning: z.string(), correct: z.boolean() });

export interface GradeRequest {
  items: GeneratedItem[];
  responses: Map<string, QuizResponse>;
  /** The cited passage's text as it is now (its excerpt when it is gone). */
  passageOf: (item: GeneratedItem) => string;
  /** The chat model, loaded only when a short answer needs judging. */
  engine: () => Promise<LlmEngine>;
  temperature?: number;
}

/**
 * Grades a taken quiz: multiple choice and true/false exactly; a short answer by the chat model
 * against the expected answer and the cited passage, its reasoning kept for the student to read
 * (and overrule). An unanswered question is wrong.
 */
export async function gradeQuiz(request: GradeRequest): Promise<GradedAnswer[]> {
  const graded: GradedAnswer[] = [];
  for (const item of request.items) {
    const response = request.responses.get(item.id) ?? null;
    const { content } = item;
    const exact = (correct: boolean): GradedAnswer => ({
      itemId: item.id,
      response,
      correct,
      reasoning: null,
      overruled: false,
    });
    if (content.type === 'multiple-choice') graded.push(exact(response === content.answer));
    else if (content.type === 'true-false') graded.push(exact(response === content.answer));
    else if (content.type === 'short-answer') {
      if (typeof response !== 'string' || response.trim() === '') {
        graded.push({ ...exact(false), reasoning: 'No answer was given.' });
        continue;
      }
      const engine = await request.engine();
      const result = await engine.generate({
        system: GRADE_SYSTEM_PROMPT,
        history: [],
        prompt: gradePrompt({
          question: content.question,
          expectedAnswer: content.expectedAnswer,
          passage: request.passageOf(item),
          answer: response.trim(),
        }),
        jsonSchema: gradeSchema(),
        maxTokens: 600,
        temperature: request.temperature ?? 0,
      });
      let grade: z.infer<typeof Grade>;
      try {
        grade = Grade.parse(JSON.parse(result.text));
      } catch {
        throw new AppError(
          'INTERNAL',
          'The model could not grade a short answer (its answer was not the JSON asked for). Nothing was saved; grade the quiz again.',
        );
      }
      graded.push({ ...exact(grade.correct), reasoning: grade.reasoning.trim() });
    }
  }
  return graded;
}
