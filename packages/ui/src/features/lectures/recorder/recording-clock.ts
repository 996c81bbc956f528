/** Time recorded so far: wall time since the start, less the time spent paused. */
export class RecordingClock {
  private readonly now: () => number;
  private startedAt: number | null = null;
  private pausedAt: number | null = null;
  private pausedTotal = 0;

  constructor(now: () => number) {
    this.now = now;
  }

  start(): void {
    this.startedAt = this.now();
    this.pausedAt = null;
    this.pausedTotal = 0;
  }

  pause(): void {
    if (this.startedAt !== null && this.pausedAt === null) this.pausedAt = this.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedTotal += this.now() - this.pausedAt;
    this.pausedAt = null;
  }

  elapsedMs(): number {
    if (this.startedAt === null) return 0;
    const end = this.pausedAt ?? this.now();
    return Math.max(0, Math.round(end - this.startedAt - this.pausedTotal));
  }
}
