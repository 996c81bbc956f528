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

/** Where local AI runs under "Use the graphics card" as set now. */
export const GraphicsInfoSchema = z.object({
  /** The GPU backend in use ('Metal', 'CUDA', 'Vulkan'), or null: local AI runs on the processor. */
  backend: z.string().nullable(),
  /** The graphics cards that backend found. */
  devices: z.array(z.string()),
  vram: z.object({ totalBytes: z.number(), freeBytes: z.number() }).nullable(),
  /** Why local AI is not (all) on the graphics card although one was tried; null otherwise. */
  note: z.string().nullable(),
});
export type GraphicsInfo = z.infer<typeof GraphicsInfoSchema>;

export const appProcedures = {
  'app.info': { input: z.object({}).default({}), output: AppInfoSchema },
  /** Finds the graphics card the first time it is asked (seconds), as the first local model would. */
  'app.graphics': { input: z.object({}).default({}), output: GraphicsInfoSchema },
} as const;
