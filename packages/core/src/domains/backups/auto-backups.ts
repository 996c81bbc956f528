import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { AutoBackup } from '../../contract/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { archivesIn } from './backup-folder.js';
import { isAutomaticArchive } from './backup-manifest.js';

export interface AutoBackupsDeps {
  queue: JobQueue;
  logger: Logger;
  settings: () => AutoBackup;
  folder: () => string;
  /** The backup job's kind. */
  kind: string;
  /** How often it looks whether a backup is due; the first look comes sooner (or at this interval if shorter). */
  checkEveryMs?: number;
}

const TEN_MINUTES = 10 * 60_000;
/** Not during start-up, when the student opens the app to work. */
const FIRST_CHECK_MS = 5 * 60_000;

/**
 * Automatic backups while the app is open: when the newest automatic backup in the folder is
 * older than the chosen interval (or there is none), one is queued. The folder itself is the
 * record of when the last one was made, so a backup copied in or deleted by hand counts as such.
 */
export class AutoBackups {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly deps: AutoBackupsDeps) {}

  start(): void {
    const every = this.deps.checkEveryMs ?? TEN_MINUTES;
    this.timer = setTimeout(
      () => {
        void this.check();
        this.timer = setInterval(() => void this.check(), every);
        this.timer.unref();
      },
      Math.min(FIRST_CHECK_MS, every),
    );
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  /** Queues an automatic backup if one is due; true when it did. */
  async check(now = Date.now()): Promise<boolean> {
    const settings = this.deps.settings();
    if (!settings.enabled || this.checking) return false;
    this.checking = true;
    try {
      const pending = this.deps.queue
        .list({ status: ['queued', 'running'], limit: 500 })
        .some((job) => job.kind === this.deps.kind);
      if (pending) return false;
      const last = await this.lastAutomaticAt();
      if (last !== null && now - last < settings.everyHours * 3_600_000) return false;
      this.deps.queue.enqueue(this.deps.kind, { target: null, automatic: true });
      this.deps.logger.info({ folder: this.deps.folder() }, 'automatic backup queued');
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not check whether an automatic backup is due');
      return false;
    } finally {
      this.checking = false;
    }
  }

  private async lastAutomaticAt(): Promise<number | null> {
    const newest = (await archivesIn(this.deps.folder())).find((path) => isAutomaticArchive(basename(path)));
    if (!newest) return null;
    return (await stat(newest)).mtimeMs;
  }
}
