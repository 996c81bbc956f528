import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../storage/durable-files.js';

/**
 * The browser mode's session, kept in the data folder while the engine runs so that the tabs of
 * an engine that crashed reach the one started after it: the port they were served from (their
 * origin) and the SHA-256 of each access token given since the last clean stop. Only hashes are
 * written: the file lets nobody in, while a tab that still holds its token is let back in. A
 * clean stop removes the file, so the next start begins a new session with a new token only.
 */
export const SESSION_FILE = 'browser-session.json';
/** Tokens of this many crashed runs in a row stay accepted. */
const MAX_TOKENS = 8;

const SessionSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  tokenHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(MAX_TOKENS),
});
export type BrowserSession = z.infer<typeof SessionSchema>;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The session a crashed engine left, or null after a clean stop (or a file that is not ours). */
export function readBrowserSession(dataDir: string): BrowserSession | null {
  try {
    const parsed = SessionSchema.safeParse(JSON.parse(readFileSync(join(dataDir, SESSION_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Records the running session: its port, and this start's token added to the ones still accepted. */
export async function saveBrowserSession(
  dataDir: string,
  previous: BrowserSession | null,
  port: number,
  token: string,
): Promise<void> {
  const tokenHashes = [...(previous?.tokenHashes ?? []), hashToken(token)].slice(-MAX_TOKENS);
  await writeFileAtomically(join(dataDir, SESSION_FILE), JSON.stringify({ port, tokenHashes }));
}

export function endBrowserSession(dataDir: string): void {
  rmSync(join(dataDir, SESSION_FILE), { force: true });
}
