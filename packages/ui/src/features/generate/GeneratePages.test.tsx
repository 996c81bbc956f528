import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  CitedSource,
  GeneratedItem,
  GeneratedSet,
  GradedAnswer,
  QuizAttempt,
} from '@little-monster/core/contract';
import { rpcError } from '../../test-support/memory-transport';
import { renderApp } from '../../test-support/render-app';
import { createTestEngine } from '../../test-support/test-engine';

const MATERIAL = crypto.randomUUID();
const source: CitedSource = {
  ref: { kind: 'material', id: MATERIAL },
  location: { kind: 'pages', pageStart: 2, pageEnd: 2, spans: [] },
  title: 'Cell notes',
  excerpt: 'The mitochondrion makes ATP.',
  textHash: 'a'.repeat(64),
};

function set(kind: GeneratedSet['kind'], items: number): GeneratedSet {
  return {
    id: crypto.randomUUID(),
    kind,
    classId: null,
    title: kind === 'quiz' ? 'Quiz: Cell notes' : 'Flashcards: Cell notes',
    from: { kind: 'material', id: MATERIAL, pageStart: null, pageEnd: null },
    madeBy: { id: 'test-chat', label: 'Test Chat', cloud: false },
    createdAt: new Date().toISOString(),
    items,
    staleItems: 0,
  };
}

const item = (
  setId: string,
  ordinal: number,
  content: GeneratedItem['content'],
  fields: Partial<GeneratedItem> = {},
): GeneratedItem => ({
  id: crypto.randomUUID(),
  setId,
  ordinal,
  content,
  sources: [source],
  stale: null,
  status: content.type === 'basic' || content.type === 'cloze' ? 'proposed' : 'ready',
  noteId: null,
  ...fields,
});

/** A quiz of three questions graded as the engine grades: choices exactly, the short answer with reasoning. */
function quizEngine() {
  const engine = createTestEngine();
  const quiz = set('quiz', 3);
  const items = [
    item(quiz.id, 0, {
      type: 'multiple-choice',
      question: 'What makes ATP?',
      options: ['Ribosome', 'Mitochondrion', 'Nucleus', 'Vacuole'],
      answer: 1,
      explanation: 'Page 2 says so.',
    }),
    item(quiz.id, 1, {
      type: 'true-false',
      statement: 'Ribosomes build proteins.',
      answer: true,
      explanation: '',
    }),
    item(
      quiz.id,
      2,
      {
        type: 'short-answer',
        question: 'Where is DNA kept?',
        expectedAnswer: 'The nucleus',
        explanation: '',
      },
      { stale: 'changed' },
    ),
  ];
  let attempt: QuizAttempt | undefined;
  engine.handlers['generate.sets'] = () => [quiz];
  engine.handlers['quizzes.attempts'] = () => (attempt ? [attempt] : []);
  engine.handlers['generate.set'] = ({ id }) => {
    if (id !== quiz.id) throw rpcError('NOT_FOUND', 'That quiz or card set no longer exists.');
    return { set: quiz, items };
  };
  engine.handlers['generate.keep'] = ({ id }) => {
    const kept = items.find((i) => i.id === id)!;
    kept.stale = null;
    return kept;
  };
  engine.handlers['quizzes.grade'] = ({ answers }) => {
    const graded: GradedAnswer[] = items.map((question) => {
      const response = answers.find((a) => a.itemId === question.id)?.response ?? null;
      const { content } = question;
      const correct = 'answer' in content ? response === content.answer : response === 'in the nucleus';
      return {
        itemId: question.id,
        response,
        correct,
        reasoning: content.type === 'short-answer' ? 'Same meaning as the nucleus.' : null,
        overruled: false,
      };
    });
    attempt = {
      id: crypto.randomUUID(),
      setId: quiz.id,
      classId: null,
      title: quiz.title,
      answers: graded,
      score: graded.filter((g) => g.correct).length,
      total: 3,
      createdAt: new Date().toISOString(),
    };
    return attempt;
  };
  engine.handlers['quizzes.overrule'] = ({ itemId, correct }) => {
    attempt = {
      ...attempt!,
      answers: attempt!.answers.map((a) => (a.itemId === itemId ? { ...a, correct, overruled: true } : a)),
    };
    attempt.score = attempt.answers.filter((a) => a.correct).length;
    return attempt;
  };
  engine.handlers['quizzes.toFlashcard'] = () => ({ noteId: crypto.randomUUID() });
  return { engine, quiz, items };
}

describe('Quizzes', () => {
  it('takes a quiz by keyboard and shows the graded result, with overrule and a flashcard from a wrong answer', async () => {
    const { engine, quiz } = quizEngine();
    const { user } = renderApp(engine, `/quizzes/${quiz.id}`);
    await user.click(await screen.findByRole('button', { name: 'Take the quiz' }));

    expect(await screen.findByRole('heading', { name: 'What makes ATP?' })).toBeInTheDocument();
    await user.keyboard('2');
    expect(screen.getByRole('radio', { name: /Mitochondrion/ })).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{Enter}');
    await screen.findByRole('heading', { name: /Ribosomes build proteins/ });
    await user.keyboard('f{Enter}');
    await user.type(await screen.findByLabelText('Your answer'), 'in the nucleus{Enter}');

    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByRole('heading')).toHaveTextContent('Score: 2 of 3');
    expect(results).toHaveTextContent('Grader: Same meaning as the nucleus.');
    expect(engine.callsTo('quizzes.grade')).toEqual([
      expect.objectContaining({
        setId: quiz.id,
        answers: [
          expect.objectContaining({ response: 1 }),
          expect.objectContaining({ response: false }),
          expect.objectContaining({ response: 'in the nucleus' }),
        ],
      }),
    ]);

    await user.click(within(results).getByRole('button', { name: 'Make a flashcard' }));
    expect(await within(results).findByText('Added to your deck')).toBeInTheDocument();
    await user.click(within(results).getAllByRole('button', { name: 'Mark right' })[0]!);
    await waitFor(() => expect(within(results).getByRole('heading')).toHaveTextContent('Score: 3 of 3'));
  });

  it('flags a question whose source changed, and keeps it as it is on request', async () => {
    const { engine, quiz } = quizEngine();
    const { user } = renderApp(engine, `/quizzes/${quiz.id}`);
    const flag = await screen.findByRole('note');
    expect(flag).toHaveTextContent('Source changed');
    expect(within(flag).getByRole('button', { name: 'Regenerate this item' })).toBeInTheDocument();
    await user.click(within(flag).getByRole('button', { name: 'Keep as is' }));
    expect(engine.callsTo('generate.keep')).toHaveLength(1);
  });
});

describe('Proposed flashcards', () => {
  it('adds the chosen cards, one edited, to the deck and shows a refused edit', async () => {
    const engine = createTestEngine();
    const cards = set('flashcards', 3);
    const items = [
      item(cards.id, 0, { type: 'basic', front: 'What makes ATP?', back: 'Mitochondria' }),
      item(cards.id, 1, { type: 'cloze', text: 'Ribosomes build {{c1::proteins}}', extra: '' }),
      item(cards.id, 2, { type: 'basic', front: 'Duplicate?', back: 'Yes' }),
    ];
    engine.handlers['generate.set'] = () => ({ set: cards, items });
    engine.handlers['generate.acceptCards'] = ({ cards: chosen }) => {
      if (chosen.some((card) => card.content?.type === 'cloze' && !card.content.text.includes('}}')))
        throw rpcError('INVALID_INPUT', 'A cloze deletion is not closed. Close every {{c1::…}} with }}.');
      for (const card of chosen)
        Object.assign(
          items.find((i) => i.id === card.id)!,
          { status: 'accepted' },
        );
      return { accepted: chosen.length, items: items.filter((i) => chosen.some((c) => c.id === i.id)) };
    };
    const { user } = renderApp(engine, `/quizzes/${cards.id}`);
    const checkboxes = await screen.findAllByRole('checkbox', { name: 'Add this card' });
    await user.click(checkboxes[2]!);
    const cloze = screen.getByDisplayValue('Ribosomes build {{c1::proteins}}');
    await user.clear(cloze);
    await user.type(cloze, 'Ribosomes build {{{{c1::proteins');
    await user.click(screen.getByRole('button', { name: 'Add 2 chosen to deck' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A cloze deletion is not closed');

    await user.type(cloze, '}}');
    await user.click(screen.getByRole('button', { name: 'Add 2 chosen to deck' }));
    expect(await screen.findByText('2 cards added to your deck.')).toBeInTheDocument();
    expect(engine.callsTo('generate.acceptCards').at(-1)).toEqual({
      setId: cards.id,
      cards: [
        { id: items[0]!.id },
        { id: items[1]!.id, content: { type: 'cloze', text: 'Ribosomes build {{c1::proteins}}', extra: '' } },
      ],
    });
  });
});
