/** How long a closed connection is remembered: calls it made may still be finishing. */
const CLOSED_REMEMBERED_MS = 60_000;

/**
 * Notices recorders that are gone. A recording hears from its recorder every second (a chunk);
 * a paused one hears nothing, which is why silence alone proves nothing: a recorder counts as
 * gone once the connection it last sent from has closed and no chunk came, from any connection,
 * for `graceMs` after that (a tab that reconnects goes on in time).
 */
export class RecorderWatch {
  private readonly recorders = new Map<string, { connection: string | null; heardAt: number }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Connections that closed lately, for a chunk that was being stored when its connection closed. */
  private readonly closed = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly graceMs: number,
    private readonly onGone: (lectureId: string) => void,
  ) {}

  /** The recording's recorder sent something from `connection`. */
  heard(lectureId: string, connection: string | null): void {
    this.cancel(lectureId);
    this.recorders.set(lectureId, { connection, heardAt: Date.now() });
    // Its connection closed while this chunk was being stored: the recorder is gone all the same.
    if (connection !== null && this.closed.has(connection)) this.wait(lectureId);
  }

  connectionClosed(connection: string): void {
    const forget = setTimeout(() => this.closed.delete(connection), CLOSED_REMEMBERED_MS);
    forget.unref();
    this.closed.set(connection, forget);
    for (const [lectureId, recorder] of this.recorders) {
      if (recorder.connection === connection) this.wait(lectureId);
    }
  }

  /** The recording ended (stopped, recovered, deleted): nothing to watch. */
  forget(lectureId: string): void {
    this.cancel(lectureId);
    this.recorders.delete(lectureId);
  }

  close(): void {
    for (const timer of [...this.timers.values(), ...this.closed.values()]) clearTimeout(timer);
    this.timers.clear();
    this.closed.clear();
    this.recorders.clear();
  }

  /** Gone unless something comes within the grace period. */
  private wait(lectureId: string): void {
    this.cancel(lectureId);
    const since = Date.now();
    const timer = setTimeout(() => {
      this.timers.delete(lectureId);
      const latest = this.recorders.get(lectureId);
      if (!latest || latest.heardAt > since) return;
      this.recorders.delete(lectureId);
      this.onGone(lectureId);
    }, this.graceMs);
    timer.unref();
    this.timers.set(lectureId, timer);
  }

  private cancel(lectureId: string): void {
    clearTimeout(this.timers.get(lectureId));
    this.timers.delete(lectureId);
  }
}
