import { createHash } from 'node:crypto';
import { weekdayOfStudyDay } from './study-day.js';

/** A number in [0, 1) fixed by `seed`, so the same answer previewed and then given picks the same day. */
export function seededFraction(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/** How many reviews are due on each study day from `firstDay` to `lastDay` (days with none may be left out). */
export type DueCountsOn = (firstDay: number, lastDay: number) => ReadonlyMap<number, number>;

/**
 * Spreads review due dates so no day is a spike. Given how many reviews are due on each study day,
 * it picks a day inside the interval's fuzz range, each day weighted by how empty it is relative
 * to its share of the week (`easyDays`: a day at 0.5 fills at half the rate, one at 0 is avoided).
 */
export class LoadBalancer {
  /** The days counted so far, with the moves made since; each day is counted once. */
  private readonly load = new Map<number, number>();

  constructor(
    private readonly countDue: DueCountsOn,
    private readonly easyDays: readonly number[],
  ) {}

  dueOn(day: number): number {
    this.count(day, day);
    return this.load.get(day)!;
  }

  /** Counts the days from `firstDay` to `lastDay` in one look-up, unless all are known. */
  private count(firstDay: number, lastDay: number): void {
    let known = true;
    for (let day = firstDay; day <= lastDay && known; day++) known = this.load.has(day);
    if (known) return;
    const counts = this.countDue(firstDay, lastDay);
    for (let day = firstDay; day <= lastDay; day++) {
      if (!this.load.has(day)) this.load.set(day, counts.get(day) ?? 0);
    }
  }

  /** Picks one of `days` (consecutive study days); `seed` makes the choice repeatable. */
  pick(days: readonly number[], seed: string): number {
    if (days.length > 0) this.count(Math.min(...days), Math.max(...days));
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
