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

export const appProcedures = {
  'app.info': { input: z.object({}).default({}), output: AppInfoSchema },
} as const;
