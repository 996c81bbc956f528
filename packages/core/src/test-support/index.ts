/** What other packages' tests use to run real engines (the account server's sync tests). */
export { openTestCore, tempDir, testConfig, waitFor, type TestCore } from './temp-core.js';
export { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
export { DATABASE_FILE } from '../db/open-database.js';
