import type { DomainKit, DomainModule, ProceduresOf } from '../../kit/kit.js';
import { BACKUP_JOB, backupJob, listBackups } from './backup-job.js';

/** One-click consistent copies of the database in the backups folder. */
export function createBackups(kit: DomainKit): DomainModule<ProceduresOf<'backups'>> {
  return {
    handlers: {
      'backups.create': () => ({ jobId: kit.jobs.enqueue(BACKUP_JOB, {}).id }),
      'backups.list': () => listBackups(kit.paths.backups),
    },
    jobs: [backupJob(kit.database.file, kit.paths.backups)],
  };
}
