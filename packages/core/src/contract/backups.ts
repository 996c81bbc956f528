import { z } from 'zod';

/** A path on this computer, as the student typed or chose it (the engine runs on the same machine). */
const LocalPathSchema = z.string().trim().min(1, 'Enter a path').max(4096);

/**
 * archive: a whole backup (`.lmbackup`, a zip with a manifest of every file's sha256); replaced:
 * the data a restore replaced, kept as it was until the student deletes it (restoring it undoes
 * the restore); database: a copy of the database alone (made before an upgrade, or by older versions).
 */
export const BACKUP_KINDS = ['archive', 'replaced', 'database'] as const;

export const BackupSchema = z.object({
  /** Its name in the backups folder (a file or, for `replaced`, a folder). */
  fileName: z.string(),
  path: z.string(),
  kind: z.enum(BACKUP_KINDS),
  /** Made by the automatic schedule (these are the ones `keep` counts). */
  automatic: z.boolean(),
  /** What it takes on the disk; an archive in a folder also shares that folder's file store. */
  bytes: z.number(),
  createdAt: z.string(),
  /** Whether `backups.restore` can take it. */
  restorable: z.boolean(),
});
export type Backup = z.infer<typeof BackupSchema>;

/** What a finished backup job returns. */
export const BackupResultSchema = z.object({
  path: z.string(),
  bytes: z.number(),
  files: z.number().int(),
  /** Bytes of the student's data the backup holds. */
  dataBytes: z.number(),
  /** Bytes actually written (an incremental backup into a folder skips files the folder already has). */
  writtenBytes: z.number(),
});
export type BackupResult = z.infer<typeof BackupResultSchema>;

export const AutoBackupSchema = z.object({
  enabled: z.boolean(),
  /** Hours between two automatic backups while the app is open. */
  everyHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** Automatic backups kept; older ones are deleted (backups made by hand are kept until deleted). */
  keep: z.number().int().min(1).max(100),
  /** Where they go; null: the data folder's `backups/`. */
  folder: LocalPathSchema.nullable(),
});
export type AutoBackup = z.infer<typeof AutoBackupSchema>;

export const AUTO_BACKUP_DEFAULTS: AutoBackup = { enabled: true, everyHours: 24, keep: 7, folder: null };

export const backupProcedures = {
  /**
   * Starts a background job that backs up everything the student made: the database (a
   * consistent snapshot), the imported files, recordings and transcripts, the settings; installed
   * models are listed by id, not copied. `target`: a folder (incremental: files the folder's
   * earlier backups hold are not copied again) or a file path for one self-contained archive;
   * left out, the data folder's `backups/`.
   */
  'backups.create': {
    input: z.object({ target: LocalPathSchema.optional() }).default({}),
    output: z.object({ jobId: z.string().uuid() }),
  },
  /** The backups in a folder (the data folder's `backups/` when left out), newest first. */
  'backups.list': {
    input: z.object({ folder: LocalPathSchema.optional() }).default({}),
    output: z.array(BackupSchema),
  },
  /** Deletes a backup from the data folder's `backups/` (or the automatic backups' folder). */
  'backups.delete': {
    input: z.object({ path: LocalPathSchema }),
    output: z.object({ path: z.string() }),
  },
  /**
   * Starts a job that checks a backup (manifest, every file's hash, the database, a schema this
   * version can open) and, only if all is well, replaces the data with it in one step. The data it
   * replaces is kept as a backup of its own. `lectures` being recorded must be stopped first.
   */
  'backups.restore': {
    input: z.object({ path: LocalPathSchema }),
    output: z.object({ jobId: z.string().uuid() }),
  },
} as const;

export const backupEvents = {
  /**
   * The data was replaced by a backup and the engine reopened it: every list is out of date.
   * `replaced` is where the data from before is kept; `missingModels` were installed when the
   * backup was made and are not now (download them again in Settings › Models).
   */
  'backups.restored': z.object({
    source: z.string(),
    replaced: z.string(),
    missingModels: z.array(z.string()),
  }),
} as const;
