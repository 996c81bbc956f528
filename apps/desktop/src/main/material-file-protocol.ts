import { protocol, type Session } from 'electron';
import { MATERIAL_FILE_SCHEME } from '../shared/material-file-url.js';
import { MATERIAL_FILE_PRIVILEGES, respondWithStoredFile, type StoredFileLookups } from './material-files.js';

/** Must run before the app is ready: Chromium fixes its scheme list at start-up. */
export function registerMaterialFileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MATERIAL_FILE_SCHEME, privileges: MATERIAL_FILE_PRIVILEGES },
  ]);
}

/**
 * Serves `lm-file:` (materials' originals and lectures' recordings) in the session of the app's
 * windows only. A protocol handler belongs to one session, and that session shows nothing but
 * our renderer: guardWebContents stops navigation elsewhere, new windows and <webview>, and
 * hardenSession blocks the network. So a request that reaches this handler comes from our own page.
 */
export function serveMaterialFiles(session: Session, lookups: StoredFileLookups): void {
  session.protocol.handle(MATERIAL_FILE_SCHEME, (request) => respondWithStoredFile(request, lookups));
}
