export * from './hlc.js';
export * from './merkle.js';
export * from './change.js';
export * from './merge.js';
export * from './protocol.js';
export * from './api.js';
export {
  keyEnvelopeSchema,
  plainCodec,
  SyncKey,
  createSyncKey,
  unlockSyncKey,
  recoverSyncKey,
  changeSyncPassphrase,
  DecryptionError,
  WrongPassphraseError,
  WrongRecoveryKeyError,
  WeakPassphraseError,
  PASSPHRASE_KDF,
  MIN_PASSPHRASE_LENGTH,
  type KeyEnvelope,
  type MessageCodec,
} from './e2ee.js';
export * from './client/sync-client.js';
export * from './client/server-api.js';
export * from './client/token-session.js';
export * from './client/blob-transfer.js';
export * from './client/ai-client.js';
