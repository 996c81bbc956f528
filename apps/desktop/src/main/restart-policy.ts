export interface RestartPolicyOptions {
  /** Crashes within `windowMs` of each other that make us give up. */
  maxCrashes: number;
  windowMs: number;
  /** Wait before the first restart; doubled for each further crash in the window. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'give-up' };

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxCrashes: 5,
  windowMs: 60_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
};

/**
 * When the engine process dies, restart it with exponential backoff; when it keeps dying
 * quickly (a crash at start-up, a corrupt model it loads every time), stop trying and tell
 * the student instead of spinning forever.
 */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  onCrash(now: number): RestartDecision {
    this.crashes = [...this.crashes.filter((at) => now - at < this.options.windowMs), now];
    const count = this.crashes.length;
    if (count >= this.options.maxCrashes) return { action: 'give-up' };
    const delayMs = Math.min(this.options.baseDelayMs * 2 ** (count - 1), this.options.maxDelayMs);
    return { action: 'restart', delayMs };
  }

  /** The student asked to try again: start counting afresh. */
  reset(): void {
    this.crashes = [];
  }
}
