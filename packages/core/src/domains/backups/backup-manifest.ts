import { z } from 'zod';
import { isSafeDataPath } from './data-set.js';

/** A backup is a zip under this extension; inside, `manifest.json` and the files under `data/`. */
export const ARCHIVE_EXTENSION = '.lmbackup';
export const MANIFEST_ENTRY = 'manifest.json';
export const DATA_PREFIX = 'data/';
/** Beside the archives of a backup folder: the files they share, by sha256 (`ab/abcdef…`). */
export const FILE_STORE_FOLDER = 'little-monster-files';

const FORMAT = 'little-monster-backup';
export const FORMAT_VERSION = 1;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const ManifestFileSchema = z.object({
  path: z.string().refine(isSafeDataPath, 'not a path inside the data folder'),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256Schema,
  mtimeMs: z.number(),
  /** archive: under `data/` in the zip; store: in the backup folder's file store. */
  in: z.enum(['archive', 'store']),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int().min(1),
  createdAt: z.string(),
  appVersion: z.string(),
  /** The database's schema version: an app that knows fewer migrations cannot open it. */
  schemaVersion: z.number().int().nonnegative(),
  automatic: z.boolean(),
  files: z.array(ManifestFileSchema),
  /** Installed models, listed by id (their files can be downloaded again, so they are not copied). */
  models: z.array(z.object({ id: z.string(), name: z.string(), bytes: z.number() })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const newManifest = (fields: Omit<Manifest, 'format' | 'formatVersion'>): Manifest => ({
  format: FORMAT,
  formatVersion: FORMAT_VERSION,
  ...fields,
});

/** A name that sorts by time and is valid on every file system. */
export function archiveName(createdAt: string, automatic: boolean): string {
  const stamp = createdAt.replace(/[:.]/g, '-');
  return `little-monster-${automatic ? 'auto-' : ''}${stamp}${ARCHIVE_EXTENSION}`;
}

export const isAutomaticArchive = (fileName: string) =>
  fileName.startsWith('little-monster-auto-') && fileName.endsWith(ARCHIVE_EXTENSION);

export const storePathOf = (sha256: string) => `${FILE_STORE_FOLDER}/${sha256.slice(0, 2)}/${sha256}`;
