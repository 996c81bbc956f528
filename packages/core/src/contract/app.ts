import { z } from 'zod';

export const AppInfoSchema = z.object({
  appVersion: z.string(),
  versions: z.record(z.string(), z.string()),
  platform: z.string(),
  arch: z.string(),
  paths: z.object({
    data: z.string(),
    database: z.string(),
    logs: z.string(),
    backups: z.string(),
    models: z.string(),
    resources: z.string(),
  }),
  cpu: z.object({ model: z.string(), cores: z.number().int() }),
  memory: z.object({ totalBytes: z.number(), freeBytes: z.number() }),
  disk: z.object({ totalBytes: z.number(), freeBytes: z.number() }).nullable(),
  storage: z.object({ schemaVersion: z.number().int(), fts5: z.boolean(), sqliteVec: z.string() }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const BackupSchema = z.object({
  fileName: z.string(),
  bytes: z.number(),
  createdAt: z.string(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const appProcedures = {
  'app.info': { input: z.object({}).default({}), output: AppInfoSchema },
  /** Starts a background job that copies the database, consistently, into the backups folder. */
  'backups.create': { input: z.object({}).default({}), output: z.object({ jobId: z.string().uuid() }) },
  'backups.list': { input: z.object({}).default({}), output: z.array(BackupSchema) },
} as const;
