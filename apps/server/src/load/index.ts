/** What `npm run bench -- sync-load` needs from the server package. */
export { runSyncLoad, type SyncLoadOptions, type SyncLoadReport } from './sync-load.js';
export { startEmbeddedPostgres } from '../db/embedded-postgres.js';
