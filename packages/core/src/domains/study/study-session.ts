import { randomUUID } from 'node:crypto';
import type { DueCounts, NoteContent, Rating, StudyCard, StudyScope } from '../../contract/index.js';
import { cardSides } from './cards/note-content.js';
import type { ExamTarget } from './scheduling/exam-target.js';
import type { CardMemory, FsrsScheduler } from './scheduling/fsrs-scheduler.js';
import { LoadBalancer } from './scheduling/load-balancer.js';
import { startOfStudyDay, studyDayOf } from './scheduling/study-day.js';
import { LEARN_AHEAD_MS, nextKind } from './scheduling/study-queue.js';
import { memoryColumns, memoryOf, type CardRow, type StudyRepository } from './study-repository.js';

/** The deck's exam target now (its class's next exam, when the deck is set to be ready for it), or null. */
export type ExamTargets = (deckId: string, now: number) => ExamTarget | null;

/**
 * A review session over decks: which card comes next (learning first, new cards spread among
 * reviews, within each deck's daily limits), answering it (one review-log row, the card's state
 * replayed from its log), and taking the last answer back. Nothing is kept between calls: the
 * session is what the log says, so a crash loses no answer already given.
 */
export class StudySession {
  private readonly balancers = new Map<string, { day: number; balancer: LoadBalancer }>();

  constructor(
    private readonly repo: StudyRepository,
    private readonly examTargets: ExamTargets = () => null,
  ) {}

  next(scope: StudyScope, now: number): { card: StudyCard | null; remaining: DueCounts } {
    const decks = this.repo.decks(scope);
    const perDeck = decks.map((deck) => ({ deck, due: this.repo.dueCounts(deck, now) }));
    const remaining = { learning: 0, review: 0, new: 0 };
    let learningSoon = 0;
    for (const { due } of perDeck) {
      remaining.learning += due.learning;
      remaining.review += due.review;
      remaining.new += due.new;
      learningSoon += due.learningSoon;
    }
    const dayStart = startOfStudyDay(studyDayOf(now));
    const kind = nextKind(
      remaining,
      learningSoon,
      this.repo.reviewsSinceNew(
        decks.map((deck) => deck.id),
        dayStart,
      ),
    );
    if (kind === null) return { card: null, remaining };
    const early = kind === 'learning' && remaining.learning === 0;
    const until =
      kind === 'review' ? startOfStudyDay(studyDayOf(now) + 1) - 1 : now + (early ? LEARN_AHEAD_MS : 0);
    const candidates = perDeck
      .filter(({ due }) => (early ? due.learningSoon > 0 : due[kind] > 0))
      .map(({ deck }) => this.repo.firstCard(deck.id, kind, now, until))
      .filter((card): card is CardRow => card !== undefined)
      .sort((a, b) => (kind === 'new' ? a.createdAt - b.createdAt : a.due - b.due));
    const card = candidates[0];
    return { card: card ? this.show(card, now) : null, remaining };
  }

  answer(cardId: string, rating: Rating, durationMs: number, now: number) {
    return this.repo.transaction((tx) => {
      const card = this.repo.card(cardId);
      const deck = this.repo.deck(card.deckId);
      const scheduler = this.repo.schedulerOf(deck);
      const memory = scheduler.replay(this.repo.log(cardId));
      const { row, memory: next } = scheduler.answer(
        memory,
        rating,
        {
          cardId,
          now,
          balancer: this.balancer(card.deckId, now),
          exam: this.examTargets(card.deckId, now),
        },
        { id: randomUUID(), durationMs },
      );
      this.repo.appendLog(tx, [row]);
      this.repo.setMemory(tx, cardId, next);
      return { cardId, deckId: card.deckId, state: next.state, due: next.due };
    });
  }

  /** Removes the last answer given today in the scope and replays its card without it. */
  undo(scope: StudyScope, now: number): { cardId: string | null; deckId: string | null } {
    const decks = this.repo.decks(scope);
    const last = this.repo.lastAnswer(
      decks.map((deck) => deck.id),
      startOfStudyDay(studyDayOf(now)),
    );
    if (!last) return { cardId: null, deckId: null };
    return this.repo.transaction((tx) => {
      this.repo.removeLogRow(tx, last.id);
      const card = this.repo.card(last.cardId);
      const memory = this.repo.schedulerOf(this.repo.deck(card.deckId)).replay(this.repo.log(card.id));
      this.repo.setMemory(tx, card.id, memory);
      return { cardId: card.id, deckId: card.deckId };
    });
  }

  /** Makes the cards new again: a reset row in each card's log, and its state replayed from the log. */
  reset(cardIds: readonly string[], now: number): void {
    this.repo.transaction((tx) => {
      const schedulers = new Map<string, FsrsScheduler>();
      for (const cardId of cardIds) {
        const { deckId } = this.repo.card(cardId);
        let scheduler = schedulers.get(deckId);
        if (!scheduler) schedulers.set(deckId, (scheduler = this.repo.schedulerOf(this.repo.deck(deckId))));
        this.repo.appendLog(tx, [{ id: randomUUID(), cardId, at: now, kind: 'reset' }]);
        const memory = scheduler.replay(this.repo.log(cardId));
        // A card that is new already keeps its row as it is (nothing for the change feed to carry).
        if (!sameMemory(memory, memoryOf(this.repo.card(cardId)))) this.repo.setMemory(tx, cardId, memory);
      }
    });
  }

  private show(card: CardRow, now: number): StudyCard {
    const note = this.repo.noteRow(card.noteId);
    const content = note.content as NoteContent;
    const sides = cardSides(content, card.ordinal);
    const scheduler = this.repo.schedulerOf(this.repo.deck(card.deckId));
    const outcomes = scheduler.preview(memoryOf(card), {
      cardId: card.id,
      now,
      balancer: this.balancer(card.deckId, now),
      exam: this.examTargets(card.deckId, now),
    });
    return {
      id: card.id,
      noteId: card.noteId,
      deckId: card.deckId,
      state: memoryOf(card).state,
      front: sides.front,
      back: sides.back,
      ...(content.kind === 'image-occlusion'
        ? { image: content.image, masks: content.masks, occludedGroup: sides.occludedGroup }
        : {}),
      nextDue: {
        1: outcomes[1].memory.due,
        2: outcomes[2].memory.due,
        3: outcomes[3].memory.due,
        4: outcomes[4].memory.due,
      },
    };
  }

  /**
   * The deck's load balancer for today, kept between calls: the days it counted stay counted and
   * each answer moves its card in it (as in the database), so a session does not count the same
   * days again at every card. Any other change to the deck's cards drops it (`forgetLoad`).
   */
  private balancer(deckId: string, now: number): LoadBalancer {
    const day = studyDayOf(now);
    const kept = this.balancers.get(deckId);
    if (kept?.day === day) return kept.balancer;
    const deck = this.repo.deck(deckId);
    const balancer = new LoadBalancer(this.repo.reviewLoad(deckId, now), this.repo.optionsOf(deck).easyDays);
    this.balancers.set(deckId, { day, balancer });
    return balancer;
  }

  /** The decks' cards changed other than by an answer (edited, imported, reset, undone…): count again. */
  forgetLoad(deckIds: readonly string[]): void {
    for (const deckId of deckIds) this.balancers.delete(deckId);
  }
}

function sameMemory(a: CardMemory, b: CardMemory): boolean {
  return JSON.stringify(memoryColumns(a)) === JSON.stringify(memoryColumns(b));
}
