import { createHash } from 'node:crypto';
import { weekdayOfStudyDay } from './study-day.js';

/** A number in [0, 1) fixed by `seed`, so the same answer previewed and then given picks the same day. */
export function seededFraction(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Spreads review due dates so no day is a spike. Given the reviews already due on each study day,
 * it picks a day inside the interval's fuzz range, each day weighted by how empty it is relative
 * to its share of the week (`easyDays`: a day at 0.5 fills at half the rate, one at 0 is avoided).
 */
export class LoadBalancer {
  private readonly load = new Map<number, number>();

  constructor(
    dueCountsByDay: Iterable<[day: number, count: number]>,
    private readonly easyDays: readonly number[],
  ) {
    for (const [day, count] of dueCountsByDay) this.load.set(day, count);
  }

  dueOn(day: number): number {
    return this.load.get(day) ?? 0;
  }

  /** Picks one of `days` (consecutive study days); `seed` makes the choice repeatable. */
  pick(days: readonly number[], seed: string): number {
    const weights = days.map((day) => {
      const share = this.easyDays[weekdayOfStudyDay(day)] ?? 1;
      const effectiveLoad = this.dueOn(day) / Math.max(share, 1e-4);
      return Math.max(share, 1e-4) / (1 + effectiveLoad) ** 2;
    });
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = seededFraction(seed) * total;
    for (const [index, weight] of weights.entries()) {
      target -= weight;
      if (target < 0) return days[index]!;
    }
    return days.at(-1)!;
  }

  /** Counts a card that now falls due on `day` (and uncounts where it was), keeping a session current. */
  move(fromDay: number | null, toDay: number): void {
    if (fromDay !== null && this.dueOn(fromDay) > 0) this.load.set(fromDay, this.dueOn(fromDay) - 1);
    this.load.set(toDay, this.dueOn(toDay) + 1);
  }
}
