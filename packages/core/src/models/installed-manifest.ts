import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ModelIdSchema, ModelSourceSchema } from '../contract/models.js';
import { writeFileAtomically } from '../storage/durable-files.js';

/**
 * The small sidecar `<fileName>.json` beside an installed model: what was checked when it was
 * installed, so listing models never has to hash gigabytes again.
 */
export const InstalledManifestSchema = z.object({
  id: ModelIdSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  source: ModelSourceSchema,
  /** True when the file's sha256 matched the catalog's; false when the catalog had none to compare. */
  verified: z.boolean(),
  installedAt: z.string(),
});
export type InstalledManifest = z.infer<typeof InstalledManifestSchema>;

export const manifestFile = (modelFile: string) => `${modelFile}.json`;

/** The manifest of `modelFile`, or null when it is missing or unreadable (the file itself still counts). */
export async function readManifest(modelFile: string): Promise<InstalledManifest | null> {
  try {
    const parsed = InstalledManifestSchema.safeParse(
      JSON.parse(await readFile(manifestFile(modelFile), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeManifest(modelFile: string, manifest: InstalledManifest): Promise<void> {
  return writeFileAtomically(manifestFile(modelFile), `${JSON.stringify(manifest, null, 2)}\n`);
}
