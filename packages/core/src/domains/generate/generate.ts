import { z } from 'zod';
import {
  AppError,
  GenerateFromSchema,
  GeneratedKindSchema,
  type CardProposal,
  type GenerateFrom,
  type GeneratedItem,
  type NoteContent,
  type SourceRef,
} from '../../contract/index.js';
import { defineJob } from '../../jobs/job-handler.js';
import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import type { Passage } from '../../search/hybrid-search.js';
import { citeSource, keptSources, nearest, stalenessOf, textHash, type PassagesOf } from './cited-sources.js';
import { generateItems } from './generation-pipeline.js';
import { GeneratedStore } from './generated-store.js';
import { gradeQuiz } from './quiz-grading.js';
import { inPageRange } from './sections.js';

export const GENERATE_JOB = 'generate';

const GeneratePayload = z
  .object({
    kind: GeneratedKindSchema,
    from: GenerateFromSchema,
    count: z.number().int().min(1).max(40),
    /** The source's title when the job was queued (the job list shows it). */
    title: z.string(),
  })
  .strict();

/**
 * Quizzes and flashcards generated from one material or lecture by the chat model the engine
 * provider picks: a background job (map over sections, reduce), every item stored with the
 * passages it cites, flagged when those change; quizzes taken and graded; cards accepted into
 * the class's deck through the study domain.
 */
export function createGenerate(
  kit: DomainKit,
): DomainModule<ProceduresOf<'generate'> | ProceduresOf<'quizzes'>> {
  const { bus, logger, search } = kit;
  const engines = kit.engines.llm;
  const temperature = kit.tuning.llmTemperature;
  const repo = new GeneratedStore(kit.store);
  const changed = (setIds: Iterable<string>) => {
    const ids = [...new Set(setIds)];
    if (ids.length > 0) bus.emit('generate.changed', { setIds: ids });
  };
  const cachedPassages = (): PassagesOf => {
    const cache = new Map<string, Passage[]>();
    return (ref) => {
      const key = `${ref.kind}:${ref.id}`;
      if (!cache.has(key)) cache.set(key, search.passagesOf(ref));
      return cache.get(key)!;
    };
  };

  /** The passages to generate from, refused with the reason when there are none. */
  function sourcePassages(from: GenerateFrom): Passage[] {
    const ref: SourceRef = { kind: from.kind, id: from.id };
    const what = from.kind === 'material' ? 'material' : 'lecture';
    if (!search.hasSource(ref)) {
      if (from.kind === 'lecture') {
        kit.queries.lectures.get(from.id); // NOT_FOUND when it was deleted
        throw new AppError(
          'INVALID_INPUT',
          'This lecture has no transcript yet. Wait until it is transcribed (or transcribe it), then generate from it.',
        );
      }
      throw new AppError('NOT_FOUND', `That ${what} no longer exists, or has not been read yet.`);
    }
    const all = search.passagesOf(ref);
    if (all.length === 0)
      throw new AppError(
        'INVALID_INPUT',
        from.kind === 'material'
          ? 'This material has no text to generate from (a scan whose text could not be read, or an empty file). Import a clearer scan or the text itself.'
          : 'This lecture has no transcript yet. Transcribe it first, then generate from it.',
      );
    if (
      from.kind === 'material' &&
      from.pageStart !== null &&
      from.pageEnd !== null &&
      from.pageStart > from.pageEnd
    )
      throw new AppError(
        'INVALID_INPUT',
        'The first page comes after the last page. Swap them and try again.',
      );
    const passages = from.kind === 'material' ? inPageRange(all, from.pageStart, from.pageEnd) : all;
    if (passages.length === 0)
      throw new AppError(
        'INVALID_INPUT',
        'Those pages have no text to generate from. Choose other pages, or the whole material.',
      );
    return passages;
  }

  /** Flags (or clears) items whose cited passages changed or went; told after every change to a source's passages. */
  function recheck(refs: SourceRef[]): void {
    const passagesOf = cachedPassages();
    const touched: string[] = [];
    repo.transaction((tx) => {
      for (const ref of refs)
        for (const item of repo.itemsCiting(ref)) {
          const stale = stalenessOf(item, passagesOf);
          if (stale === item.stale) continue;
          repo.updateItem(tx, item.id, { stale });
          touched.push(item.setId);
        }
    });
    changed(touched);
  }

  const generateJob = defineJob({
    kind: GENERATE_JOB,
    payload: GeneratePayload,
    title: ({ kind, title }) => `${kind === 'quiz' ? 'Quiz' : 'Flashcards'} from ${title}`,
    maxAttempts: 1,
    // Nothing is stored until the end, so a job the app closed under can start again from nothing.
    onInterrupted: 'resume',
    run: async ({ kind, from, count }, { signal, progress }) => {
      const passages = sourcePassages(from);
      progress(null, 'Loading the model');
      const engine = await engines.acquire();
      const { items, report } = await generateItems({
        engine,
        kind,
        passages,
        count,
        signal,
        onProgress: (fraction, message) => progress(fraction * 0.95, message),
        ...(temperature === undefined ? {} : { temperature }),
      });
      if (signal.aborted) throw new AppError('CANCELLED', 'Generation was cancelled; nothing was saved.');
      if (items.length === 0)
        throw new AppError(
          'INTERNAL',
          'The model wrote nothing usable from this source, so nothing was saved. Try again.',
        );
      const ref: SourceRef = { kind: from.kind, id: from.id };
      if (!search.hasSource(ref))
        throw new AppError(
          'NOT_FOUND',
          `The ${from.kind} was deleted while its ${kind === 'quiz' ? 'quiz' : 'cards'} were being written, so nothing was saved.`,
        );
      const first = passages[0]!;
      const setId = repo.insertSet({
        kind,
        classId: first.classId,
        title: `${kind === 'quiz' ? 'Quiz' : 'Flashcards'}: ${first.title}${pagesLabel(from)}`,
        from,
        madeBy: { id: engine.info.id, label: engine.info.label, cloud: engine.info.cloud },
        items: items.map((item) => ({ content: item.content, sources: item.passages.map(citeSource) })),
      });
      // A passage edited while the model wrote is flagged at once.
      recheck([ref]);
      changed([setId]);
      logger.info({ setId, kind, items: items.length, report }, 'generated from a source');
      return { setId, items: items.length, report };
    },
  });

  /** The passages an item's sources point at now (the same text, else what is now at its place). */
  function currentPassages(item: GeneratedItem): Passage[] {
    const passagesOf = cachedPassages();
    const found = new Map<number, Passage>();
    for (const source of item.sources) {
      const now = passagesOf(source.ref);
      if (now.length === 0)
        throw new AppError(
          'INVALID_INPUT',
          `"${source.title}" was deleted, so this item cannot be written again from it. Keep it as it is, or delete it.`,
        );
      const same = now.find((passage) => textHash(passage.text) === source.textHash);
      const passage = same ?? nearest(now, source.location);
      found.set(passage.chunkId, passage);
    }
    return [...found.values()];
  }

  let stopListening: (() => void) | undefined;

  const noteOf = (content: CardProposal): NoteContent =>
    content.type === 'basic'
      ? { kind: 'basic', front: content.front, back: content.back }
      : { kind: 'cloze', text: content.text, extra: content.extra };

  return {
    handlers: {
      'generate.start': async ({ kind, from, count }) => {
        const passages = sourcePassages(from);
        await engines.ensureAvailable();
        const job = kit.jobs.enqueue(GENERATE_JOB, { kind, from, count, title: passages[0]!.title });
        return { jobId: job.id };
      },
      'generate.sets': ({ classId }) => repo.sets(classId),
      'generate.set': ({ id }) => ({ set: repo.set(id), items: repo.items(id) }),
      'generate.deleteSet': ({ id }) => {
        repo.deleteSet(id);
        changed([id]);
        return { id };
      },
      'generate.keep': ({ id }) => {
        const item = repo.item(id);
        const sources = keptSources(item.sources, cachedPassages());
        // Nothing flagged and nothing moved: nothing to write (and nothing for sync to send).
        if (item.stale === null && JSON.stringify(sources) === JSON.stringify(item.sources)) return item;
        const kept = repo.transaction((tx) => repo.updateItem(tx, id, { sources, stale: null }));
        changed([kept.setId]);
        return kept;
      },
      'generate.regenerate': async ({ id }) => {
        const item = repo.item(id);
        if (item.status === 'accepted')
          throw new AppError('CONFLICT', 'This card is already in your deck; edit it there.');
        const set = repo.set(item.setId);
        const passages = currentPassages(item);
        await engines.ensureAvailable();
        const engine = await engines.acquire();
        const { items } = await generateItems({
          engine,
          kind: set.kind,
          passages,
          count: 1,
          only: item.content.type,
          signal: new AbortController().signal,
          ...(temperature === undefined ? {} : { temperature }),
        });
        const [fresh] = items;
        if (!fresh)
          throw new AppError('INTERNAL', 'The model wrote nothing usable; the item was left as it was.');
        const replaced = repo.transaction((tx) =>
          repo.updateItem(tx, id, {
            content: fresh.content,
            sources: fresh.passages.map(citeSource),
            stale: null,
          }),
        );
        changed([replaced.setId]);
        return replaced;
      },
      'generate.acceptCards': ({ setId, cards }) => {
        const set = repo.set(setId);
        const chosen = cards.map(({ id, content }) => {
          const item = repo.item(id);
          if (item.setId !== setId) throw new AppError('INVALID_INPUT', 'A card of another set was given.');
          if (item.content.type !== 'basic' && item.content.type !== 'cloze')
            throw new AppError('INVALID_INPUT', 'Only flashcards can be added to a deck.');
          if (item.status === 'accepted') throw new AppError('CONFLICT', 'A card is already in your deck.');
          return { item, content: content ?? item.content };
        });
        const items = repo.transaction((tx) => {
          const noteIds = kit.queries.study.addNotes(
            set.classId,
            chosen.map(({ content }) => noteOf(content)),
            ['generated'],
          );
          return chosen.map(({ item, content }, i) =>
            repo.updateItem(tx, item.id, { content, status: 'accepted', noteId: noteIds[i]! }),
          );
        });
        changed([setId]);
        return { accepted: items.length, items };
      },
      'generate.dismissCards': ({ ids }) => {
        const items = repo.transaction((tx) =>
          ids.map((id) => {
            const item = repo.item(id);
            if (item.status !== 'proposed')
              throw new AppError('CONFLICT', 'Only proposed cards can be dismissed.');
            return repo.updateItem(tx, id, { status: 'dismissed' });
          }),
        );
        changed(items.map((item) => item.setId));
        return items;
      },
      'quizzes.grade': async ({ setId, answers }) => {
        const set = repo.set(setId);
        if (set.kind !== 'quiz') throw new AppError('INVALID_INPUT', 'Only a quiz can be graded.');
        const items = repo.items(setId);
        const known = new Set(items.map((item) => item.id));
        const responses = new Map(answers.map((answer) => [answer.itemId, answer.response]));
        if ([...responses.keys()].some((id) => !known.has(id)))
          throw new AppError('INVALID_INPUT', 'An answer was given to a question that is not in this quiz.');
        const passagesOf = cachedPassages();
        const graded = await gradeQuiz({
          items,
          responses,
          passageOf: (item) => {
            const source = item.sources[0];
            if (!source) return '';
            const now = passagesOf(source.ref).find((passage) => textHash(passage.text) === source.textHash);
            return now?.text ?? source.excerpt;
          },
          engine: async () => {
            await engines.ensureAvailable();
            return engines.acquire();
          },
          ...(temperature === undefined ? {} : { temperature }),
        });
        const attempt = repo.insertAttempt(setId, set.classId, graded);
        bus.emit('quizzes.changed', { attemptIds: [attempt.id] });
        return attempt;
      },
      'quizzes.overrule': ({ attemptId, itemId, correct }) => {
        const attempt = repo.attempt(attemptId);
        if (!attempt.answers.some((answer) => answer.itemId === itemId))
          throw new AppError('INVALID_INPUT', 'That question is not part of this quiz result.');
        const updated = repo.updateAttempt(
          attemptId,
          attempt.answers.map((answer) =>
            answer.itemId === itemId ? { ...answer, correct, overruled: true } : answer,
          ),
        );
        bus.emit('quizzes.changed', { attemptIds: [attemptId] });
        return updated;
      },
      'quizzes.attempts': ({ classId }) => repo.attempts(classId),
      'quizzes.toFlashcard': ({ itemId }) => {
        const item = repo.item(itemId);
        const set = repo.set(item.setId);
        const note = questionCard(item);
        const [noteId] = kit.queries.study.addNotes(set.classId, [note], ['quiz']);
        return { noteId: noteId! };
      },
    },
    jobs: [generateJob],
    subscriptions: {
      'class.deleted': ({ id }) => changed(repo.unfileClass(id)),
    },
    start: () => {
      stopListening = search.onSourcesChanged((refs) => {
        try {
          recheck(refs);
        } catch (error) {
          logger.error({ err: error }, 'generated items could not be checked against their changed sources');
        }
      });
    },
    close: () => stopListening?.(),
  };
}

function pagesLabel(from: GenerateFrom): string {
  if (from.kind !== 'material' || (from.pageStart === null && from.pageEnd === null)) return '';
  if (from.pageStart === from.pageEnd) return `, page ${from.pageStart}`;
  return `, pages ${from.pageStart ?? 1}–${from.pageEnd ?? 'end'}`;
}

/** A quiz question as a flashcard: the question on the front, the answer and why on the back. */
export function questionCard(item: GeneratedItem): NoteContent {
  const { content } = item;
  const why = (text: string) => (text ? `\n\n${text}` : '');
  switch (content.type) {
    case 'multiple-choice':
      return {
        kind: 'basic',
        front: content.question,
        back: `${content.options[content.answer] ?? ''}${why(content.explanation)}`,
      };
    case 'true-false':
      return {
        kind: 'basic',
        front: `True or false: ${content.statement}`,
        back: `${content.answer ? 'True' : 'False'}${why(content.explanation)}`,
      };
    case 'short-answer':
      return {
        kind: 'basic',
        front: content.question,
        back: `${content.expectedAnswer}${why(content.explanation)}`,
      };
    case 'basic':
      return { kind: 'basic', front: content.front, back: content.back };
    case 'cloze':
      return { kind: 'cloze', text: content.text, extra: content.extra };
  }
}
