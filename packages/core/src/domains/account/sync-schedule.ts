/**
 * When this computer syncs on its own: every few minutes while signed in, sooner after starting,
 * and further apart after each failure (the server is down, the network gone) up to half an hour.
 */
const FIRST_MS = 5_000;
const EVERY_MS = 2 * 60_000;
const MAX_BACK_OFF_MS = 30 * 60_000;

export class SyncSchedule {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running = false;

  constructor(private readonly sync: () => void) {}

  start(): void {
    this.running = true;
    this.failures = 0;
    this.next(FIRST_MS);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  succeeded(): void {
    this.failures = 0;
    this.next(EVERY_MS);
  }

  failed(): void {
    this.failures += 1;
    this.next(Math.min(MAX_BACK_OFF_MS, 30_000 * 2 ** (this.failures - 1)));
  }

  private next(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(this.sync, delayMs);
    // A pending sync never keeps the engine's process alive.
    this.timer.unref();
  }
}
