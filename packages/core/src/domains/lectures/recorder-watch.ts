/**
 * Notices recorders that are gone. A recording hears from its recorder every second (a chunk);
 * a paused one hears nothing, which is why silence alone proves nothing: a recorder counts as
 * gone once the connection it last sent from has closed and no chunk came, from any connection,
 * for `graceMs` after that (a tab that reconnects goes on in time).
 */
export class RecorderWatch {
  private readonly recorders = new Map<string, { connection: string | null; heardAt: number }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly graceMs: number,
    private readonly onGone: (lectureId: string) => void,
  ) {}

  /** The recording's recorder sent something from `connection`. */
  heard(lectureId: string, connection: string | null): void {
    this.cancel(lectureId);
    this.recorders.set(lectureId, { connection, heardAt: Date.now() });
  }

  connectionClosed(connection: string): void {
    const closedAt = Date.now();
    for (const [lectureId, recorder] of this.recorders) {
      if (recorder.connection !== connection) continue;
      this.cancel(lectureId);
      const timer = setTimeout(() => {
        this.timers.delete(lectureId);
        const latest = this.recorders.get(lectureId);
        if (!latest || latest.heardAt > closedAt) return;
        this.recorders.delete(lectureId);
        this.onGone(lectureId);
      }, this.graceMs);
      timer.unref();
      this.timers.set(lectureId, timer);
    }
  }

  /** The recording ended (stopped, recovered, deleted): nothing to watch. */
  forget(lectureId: string): void {
    this.cancel(lectureId);
    this.recorders.delete(lectureId);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.recorders.clear();
  }

  private cancel(lectureId: string): void {
    clearTimeout(this.timers.get(lectureId));
    this.timers.delete(lectureId);
  }
}
