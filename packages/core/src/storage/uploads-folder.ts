import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The browser mode's uploads folder: a file the browser sent, waiting under a fresh id for the
 * call that imports it. An upload is a way in and nothing more: the import that takes it removes
 * it, a call that is refused removes the uploads it named, and one that no call took is removed
 * after a while (a closed tab, a crash).
 */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long an upload waits for its import call. */
export const UPLOAD_TTL_MS = 15 * 60_000;

/** Upload ids anywhere in a call's input (`{ kind: 'upload', uploadId }` sources), whatever else it holds. */
export function uploadIdsIn(input: unknown, depth = 0): string[] {
  if (depth > 4 || typeof input !== 'object' || input === null) return [];
  if (Array.isArray(input)) return input.slice(0, 1000).flatMap((item) => uploadIdsIn(item, depth + 1));
  const record = input as Record<string, unknown>;
  if (record.kind === 'upload' && typeof record.uploadId === 'string' && UPLOAD_ID.test(record.uploadId))
    return [record.uploadId];
  return Object.values(record).flatMap((value) => uploadIdsIn(value, depth + 1));
}

export async function discardUploads(uploadsDir: string, ids: string[]): Promise<void> {
  await Promise.all(
    ids.filter((id) => UPLOAD_ID.test(id)).map((id) => rm(join(uploadsDir, id), { force: true })),
  );
}

/** Removes uploads (and cut-short ones) older than `maxAgeMs`; returns how many went. */
export async function removeStaleUploads(
  uploadsDir: string,
  maxAgeMs = UPLOAD_TTL_MS,
  now = Date.now(),
): Promise<number> {
  const names = await readdir(uploadsDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const path = join(uploadsDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > maxAgeMs) {
      await rm(path, { force: true, recursive: true });
      removed++;
    }
  }
  return removed;
}
