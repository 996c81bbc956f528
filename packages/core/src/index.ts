export { createCore, type Core, type CoreOptions } from './core.js';
export type { CoreConfig } from './config.js';
export { createLogger, silentLogger, type Logger, type LoggerOptions } from './logging/logger.js';
export type { SecretStore } from './secrets/secret-store.js';
export { KeyringSecretStore } from './secrets/keyring-secret-store.js';
export { defineJob, type JobHandler, type JobContext, type RegisteredJob } from './jobs/job-handler.js';
export { AppError } from './contract/index.js';
