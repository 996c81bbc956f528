import type { Result } from '@little-monster/core/contract';

/** Calls sent to the engine and waiting for their result, by call id. */
export class PendingCalls {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Result<unknown>) => void>();

  add(): { id: number; result: Promise<Result<unknown>> } {
    const id = this.nextId++;
    const result = new Promise<Result<unknown>>((resolve) => this.waiting.set(id, resolve));
    return { id, result };
  }

  /** Returns false for an id nobody waits for (already failed, or never sent). */
  settle(id: number, result: Result<unknown>): boolean {
    const resolve = this.waiting.get(id);
    if (!resolve) return false;
    this.waiting.delete(id);
    resolve(result);
    return true;
  }
}
