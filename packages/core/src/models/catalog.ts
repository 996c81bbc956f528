import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ModelFormatSchema, ModelIdSchema, ModelKindSchema } from '../contract/models.js';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hexadecimal characters');

/** A plain file name inside the models folder: no folders, no hidden files, none of our own suffixes. */
const FileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'a plain file name such as model-q8_0.gguf')
  .refine(
    (name) => !/\.(json|part|importing)$/.test(name),
    'ends with a suffix the models folder uses itself',
  );

export const CatalogEntrySchema = z
  .object({
    id: ModelIdSchema,
    kind: ModelKindSchema,
    name: z.string().min(1),
    description: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    fileName: FileNameSchema,
    bytes: z.number().int().positive(),
    /** Null when nobody could confirm it; the download is then hashed and recorded, unverified. */
    sha256: Sha256Schema.nullable(),
    license: z.string().min(1),
    ramBytes: z.number().int().positive(),
    format: ModelFormatSchema,
    /** True only when the size and sha256 were checked against the publisher's own metadata. */
    verified: z.boolean(),
    /**
     * Embedding models trained with an instruction before queries (bge): search puts it before
     * the student's query, never before the passages, as the model card says.
     */
    queryInstruction: z.string().min(1).optional(),
  })
  .strict()
  .refine((entry) => !entry.verified || entry.sha256 !== null, {
    message: 'a verified entry needs its sha256',
    path: ['verified'],
  });
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.literal(1),
    models: z.array(CatalogEntrySchema),
  })
  .strict()
  .superRefine((catalog, context) => {
    for (const key of ['id', 'fileName'] as const) {
      const seen = new Set<string>();
      catalog.models.forEach((entry, index) => {
        if (seen.has(entry[key]))
          context.addIssue({
            code: 'custom',
            message: `duplicate ${key} "${entry[key]}"`,
            path: ['models', index, key],
          });
        seen.add(entry[key]);
      });
    }
  });
export type Catalog = z.infer<typeof CatalogSchema>;

/** The catalog beside the sources (`<repo>/models/catalog.json`); a packaged app passes its own copy. */
export const defaultCatalogFile = (): string =>
  fileURLToPath(new URL('../../../../models/catalog.json', import.meta.url));

/** Reads and checks the catalog; a broken catalog is a broken install, so the message names the file. */
export async function loadCatalog(file: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `The model catalog ${file} cannot be read (${(error as Error).message}). Reinstall the app.`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `The model catalog ${file} is not valid JSON (${(error as Error).message}). Reinstall the app.`,
      { cause: error },
    );
  }
  const parsed = CatalogSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(catalog)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`The model catalog ${file} is damaged: ${problems}. Reinstall the app.`);
  }
  return parsed.data;
}
